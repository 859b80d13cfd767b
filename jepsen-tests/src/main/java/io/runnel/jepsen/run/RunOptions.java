package io.runnel.jepsen.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One validated {@code bin/runnel jepsen run} command line (see {@link JepsenRunCommand} for each flag).
 *
 * @param nodes           cluster size (combined broker+controller nodes, all voters), at least 3
 * @param workload        the workload name ({@code queue}, {@code kv} or {@code txn})
 * @param nemeses         the enabled nemesis names, possibly empty
 * @param timeLimitSeconds how long the workload runs under faults, seconds
 * @param rate            target operations per second over all workers
 * @param seed            the first run's seed
 * @param runs            how many runs (seeds seed, seed+1, ...)
 * @param resultsDir      where each run's directory is created
 * @param partitions      partitions of the workload's topic (queue: Jepsen's keys; kv: key k in k % partitions)
 * @param producers       producer workers (kv: writers, each owning some keys; txn: workers, each with a
 *                        transactional producer and a read_committed consumer)
 * @param assigners       assign-mode consumer workers (kv: readers making full passes)
 * @param subscribers     subscribe-mode consumer workers (queue only; 0 for kv and txn)
 * @param acks            the producers' acks ({@code all}, {@code 1})
 * @param serverProps     server properties that override the run's defaults
 * @param partitionShapes the partition shapes the partition nemesis draws from
 * @param nemesisIntervalSeconds mean seconds between two nemesis steps (a start or a stop)
 * @param runnelHome      the Runnel checkout whose {@code bin/runnel} starts the nodes
 * @param serverClasspath the classpath the nodes run with
 * @param keys            kv: how many keys, at least {@code producers}; unused by queue
 */
public record RunOptions(int nodes, String workload, List<String> nemeses, int timeLimitSeconds, int rate, long seed,
                         int runs, Path resultsDir, int partitions, int producers, int assigners, int subscribers,
                         String acks, Map<String, String> serverProps, List<String> partitionShapes,
                         int nemesisIntervalSeconds, Path runnelHome, String serverClasspath, int keys) {
    public RunOptions {
        nemeses = List.copyOf(nemeses);
        serverProps = Map.copyOf(serverProps);
        partitionShapes = List.copyOf(partitionShapes);
    }

    /** The same options for run {@code i} (0-based) of a {@code --runs} series: seed + i, one run. */
    public RunOptions forRun(int i) {
        return new RunOptions(nodes, workload, nemeses, timeLimitSeconds, rate, seed + i, 1, resultsDir, partitions,
                producers, assigners, subscribers, acks, serverProps, partitionShapes, nemesisIntervalSeconds,
                runnelHome, serverClasspath, keys);
    }

    /** The same options with another nemesis list. */
    public RunOptions withNemeses(List<String> other) {
        return new RunOptions(nodes, workload, other, timeLimitSeconds, rate, seed, runs, resultsDir, partitions,
                producers, assigners, subscribers, acks, serverProps, partitionShapes, nemesisIntervalSeconds,
                runnelHome, serverClasspath, keys);
    }
}
