package io.runnel.compat;

import java.time.Duration;
import java.util.function.Supplier;

/** Bounded polling for tests: every wait has a limit and fails with a description of what it last saw. */
public final class Waits {

    /** A condition that may throw (REST calls, Admin calls). */
    @FunctionalInterface
    public interface Check {
        /** @return whether the condition holds now */
        boolean holds() throws Exception;
    }

    private Waits() {
    }

    /**
     * Polls {@code check} every 200 ms until it holds.
     *
     * @param what     what is awaited, for the failure message
     * @param lastSeen what the last poll saw, appended to the failure message
     * @throws AssertionError when {@code limit} passes first (with the last exception thrown by {@code check}, if any)
     */
    public static void await(String what, Duration limit, Check check, Supplier<String> lastSeen) {
        long deadline = System.nanoTime() + limit.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (check.holds()) {
                    return;
                }
                last = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit + ": " + what + "; last seen: " + lastSeen.get(), last);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
