package io.runnel.jepsen.report;

import java.util.List;

/**
 * The parameters of one run, as the summary and results.json report them.
 *
 * @param seed             the run's seed
 * @param nodes            cluster size
 * @param workload         workload name
 * @param nemeses          enabled nemesis names
 * @param timeLimitSeconds the workload's length, seconds
 * @param rate             target operations per second
 * @param hosts            {@code netns} or {@code loopback}
 * @param startedAtEpochMs when the run started, ms since the epoch
 * @param elapsedMs        how long it took, start to verdict, ms
 */
public record RunInfo(long seed, int nodes, String workload, List<String> nemeses, int timeLimitSeconds, int rate,
                      String hosts, long startedAtEpochMs, long elapsedMs) {
    public RunInfo {
        nemeses = List.copyOf(nemeses);
    }
}
