package io.runnel.broker.producer;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProducerIdManagerTest {
    @Test
    void idsAreUniqueAcrossBlocks() throws Exception {
        ProducerIdManager m = new ProducerIdManager(new TestingProducerIdSource(100, 10));
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < 95; i++) {
            assertTrue(ids.add(m.generateProducerId().get()));
        }
        assertEquals(100L, ids.stream().mapToLong(Long::longValue).min().orElseThrow());
        assertEquals(194L, ids.stream().mapToLong(Long::longValue).max().orElseThrow());
    }

    @Test
    void callersWaitForAPendingBlockAndFailuresAreRetried() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<ProducerIdBlock> first = new CompletableFuture<>();
        ProducerIdManager m = new ProducerIdManager(() -> calls.incrementAndGet() == 1 ? first
                : CompletableFuture.completedFuture(new ProducerIdBlock(500, 5)));
        CompletableFuture<Long> waiting = m.generateProducerId();
        assertFalse(waiting.isDone());
        first.completeExceptionally(new IllegalStateException("controller unreachable"));
        assertThrows(ExecutionException.class, waiting::get);
        assertEquals(500L, m.generateProducerId().get());
        assertEquals(501L, m.generateProducerId().get());
    }
}
