package io.runnel.broker.purgatory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DelayedOperationPurgatoryTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    static final class Op extends DelayedOperation {
        final AtomicBoolean ready = new AtomicBoolean();
        final AtomicInteger completions = new AtomicInteger();
        final CountDownLatch done = new CountDownLatch(1);
        volatile boolean expiredSeen;

        Op(long delayMs) {
            super(delayMs);
        }

        @Override
        public boolean tryComplete() {
            return ready.get() && forceComplete();
        }

        @Override
        protected void onExpiration() {
            expiredSeen = true;
        }

        @Override
        protected void onComplete() {
            completions.incrementAndGet();
            done.countDown();
        }
    }

    @Test
    void aWatchedOperationCompletesWhenItsKeyIsChecked() throws Exception {
        DelayedOperationPurgatory<String> p = new DelayedOperationPurgatory<>("test", timer);
        Op op = new Op(60_000);
        assertFalse(p.tryCompleteElseWatch(op, List.of("a", "b")));
        assertEquals(0, p.checkAndComplete("a"));
        op.ready.set(true);
        assertEquals(1, p.checkAndComplete("b"));
        assertTrue(op.done.await(1, TimeUnit.SECONDS));
        assertFalse(op.expiredSeen);
        assertEquals(0, p.watched("b"));
        assertEquals(0, p.checkAndComplete("a"));
        assertEquals(0, p.watched("a"));
        assertEquals(1, op.completions.get());
    }

    @Test
    void anOperationExpiresOnceAtItsDeadline() throws Exception {
        DelayedOperationPurgatory<String> p = new DelayedOperationPurgatory<>("test", timer);
        Op op = new Op(50);
        p.tryCompleteElseWatch(op, List.of("a"));
        assertTrue(op.done.await(10, TimeUnit.SECONDS));
        assertTrue(op.expiredSeen);
        op.ready.set(true);
        p.checkAndComplete("a");
        assertEquals(1, op.completions.get());
        assertEquals(0, p.watched("a"));
    }

    @Test
    void completableOperationsNeverWait() {
        DelayedOperationPurgatory<String> p = new DelayedOperationPurgatory<>("test", timer);
        Op op = new Op(60_000);
        op.ready.set(true);
        assertTrue(p.tryCompleteElseWatch(op, List.of("a")));
        assertEquals(0, p.watched("a"));
    }
}
