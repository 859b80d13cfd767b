package io.runnel.broker.purgatory;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An operation that waits for a condition or a timeout, whichever comes first (Kafka's delayed produce and delayed
 * fetch). {@link #tryComplete()} checks the condition and calls {@link #forceComplete()} when it holds;
 * {@link #onComplete()} runs exactly once, either way, on the thread that completed it.
 *
 * <p>Thread-safe: {@code tryComplete} may run on several threads at once; only one of them completes.
 */
public abstract class DelayedOperation {
    private final long delayMs;
    private final AtomicBoolean completed = new AtomicBoolean();
    private volatile boolean expired;
    private volatile ScheduledFuture<?> timeout;

    /** @param delayMs how long to wait at most (ms); 0 or less expires at once if not completable */
    protected DelayedOperation(long delayMs) {
        this.delayMs = delayMs;
    }

    /** How long the operation waits at most (ms). */
    public long delayMs() {
        return delayMs;
    }

    /** Checks the condition; if it holds, calls {@link #forceComplete()} and returns its result. */
    public abstract boolean tryComplete();

    /** Produces the outcome (success, partial results or errors); called exactly once. */
    protected abstract void onComplete();

    /** Called before {@link #onComplete()} when the operation timed out. */
    protected void onExpiration() {
    }

    /**
     * Completes the operation now, unless it is already complete.
     *
     * @return true if this call completed it
     */
    public final boolean forceComplete() {
        if (!completed.compareAndSet(false, true)) {
            return false;
        }
        ScheduledFuture<?> t = timeout;
        if (t != null) {
            t.cancel(false);
        }
        if (expired) {
            onExpiration();
        }
        onComplete();
        return true;
    }

    /** True once completed. */
    public final boolean isCompleted() {
        return completed.get();
    }

    /** True when the timeout completed the operation. */
    public final boolean isExpired() {
        return expired;
    }

    final void expire() {
        if (!isCompleted()) {
            expired = true;
            if (!forceComplete()) {
                expired = false;
            }
        }
    }

    final void setTimeout(ScheduledFuture<?> future) {
        this.timeout = future;
        if (isCompleted()) {
            future.cancel(false);
        }
    }
}
