package io.runnel.broker.group;

import io.runnel.metadata.image.MetadataImage;

import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Waits until this broker's published metadata image satisfies a condition (the broker's {@code ImageWaiter}):
 * completes with true as soon as it does, with false after {@code timeoutMs} milliseconds.
 */
@FunctionalInterface
public interface ImageAwait {
    CompletableFuture<Boolean> await(Predicate<MetadataImage> condition, long timeoutMs);
}
