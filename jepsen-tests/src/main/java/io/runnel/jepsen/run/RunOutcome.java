package io.runnel.jepsen.run;

import io.runnel.jepsen.check.CheckResult;
import java.nio.file.Path;
import java.util.List;

/**
 * What one run produced.
 *
 * @param seed    its seed
 * @param dir     its results directory
 * @param ops     history entries
 * @param faults  faults started
 * @param result  the checker's verdict
 * @param crashed nodes whose process exited although no nemesis killed it
 */
public record RunOutcome(long seed, Path dir, long ops, int faults, CheckResult result, List<Integer> crashed) {
    public RunOutcome {
        crashed = List.copyOf(crashed);
    }
}
