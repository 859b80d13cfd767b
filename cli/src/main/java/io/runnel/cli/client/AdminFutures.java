package io.runnel.cli.client;

import io.runnel.cli.CliException;
import org.apache.kafka.common.KafkaFuture;

import java.util.concurrent.ExecutionException;

/** Waits for kafka-clients Admin results the way every CLI command reports them. */
public final class AdminFutures {
    private AdminFutures() {
    }

    /**
     * Waits for {@code future}; rethrows the failure kafka-clients reported (unchecked ones as they are, checked ones
     * as {@link CliException} with their message).
     */
    public static <T> T await(KafkaFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new CliException(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
        }
    }
}
