package io.runnel.jepsen;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded, condition-based waiting: every wait in the fault tests goes through here and names what it waits for. */
public final class Waits {
    private static final long POLL_MS = 50;

    private Waits() {
    }

    /**
     * Polls {@code condition} until it holds.
     *
     * @return how long it took
     * @throws AssertionError naming {@code what} when {@code limit} passes first
     */
    public static Duration await(String what, Duration limit, BooleanSupplier condition) {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit.toMillis() + " ms waiting for " + what);
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /** Polls {@code probe} until it returns non-null, and returns that value. */
    public static <T> T awaitValue(String what, Duration limit, Supplier<T> probe) {
        Object[] holder = new Object[1];
        await(what, limit, () -> (holder[0] = probe.get()) != null);
        @SuppressWarnings("unchecked")
        T value = (T) holder[0];
        return value;
    }
}
