package io.runnel.broker.handler;

import io.runnel.broker.metadata.MetadataCache;
import io.runnel.broker.testing.Images;
import io.runnel.metadata.image.MetadataImage;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageWaiterTest {
    private final MetadataCache cache = new MetadataCache(1, "c");
    private final ImageWaiter waiter = new ImageWaiter(cache);

    private void publishTopic(String name) {
        MetadataImage next = Images.apply(cache.current().image(),
                Images.topicOnBroker(name, UUID.randomUUID(), 1, 1, Map.of()));
        cache.update(next);
        waiter.published();
    }

    @Test
    void aConditionAlreadyTrueCompletesAtOnce() throws Exception {
        publishTopic("a");
        assertTrue(waiter.await(i -> i.topicsByName().containsKey("a"), 0).get());
        assertEquals(0, waiter.pending());
    }

    @Test
    void aLaterImageCompletesTheWaitWithoutPolling() throws Exception {
        CompletableFuture<Boolean> f = waiter.await(i -> i.topicsByName().containsKey("b"), 60_000);
        assertFalse(f.isDone());
        publishTopic("other");
        assertFalse(f.isDone());
        publishTopic("b");
        assertTrue(f.get(10, TimeUnit.SECONDS));
        assertEquals(0, waiter.pending());
    }

    @Test
    void anUnmetConditionEndsFalseAtItsTimeoutAndIsForgotten() throws Exception {
        assertFalse(waiter.await(i -> false, 0).get());
        CompletableFuture<Boolean> f = waiter.await(i -> false, 50);
        assertFalse(f.get(10, TimeUnit.SECONDS));
        publishTopic("c");
        assertEquals(0, waiter.pending());
    }
}
