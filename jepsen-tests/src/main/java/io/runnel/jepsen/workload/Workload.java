package io.runnel.jepsen.workload;

import io.runnel.jepsen.check.CheckResult;
import io.runnel.jepsen.history.Op;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A workload of {@code runnel jepsen run}, as Jepsen's workload maps it: client processes that record every
 * operation in the run's history while the nemeses act, a final read once every fault is healed, and the checker
 * of the resulting history.
 */
public interface Workload {
    /** The topic the workload writes and reads (created before {@link #start()}). */
    String topic();

    /** Starts the worker threads. */
    void start();

    /** Asks every worker to finish its current operation and waits for them (bounded by their timeouts). */
    void stop() throws InterruptedException;

    /**
     * The final read after the heal, recorded in the history as {@code drain} operations.
     *
     * @param limit how long it may retry in all
     * @param log   where progress and errors go, one line each
     * @return true when the whole topic was read to its end offsets within {@code limit}
     */
    boolean finalRead(Duration limit, Consumer<String> log);

    /** The workload's checker on a complete history. */
    CheckResult check(List<Op> history);
}
