package io.runnel.jepsen.run;

import io.runnel.jepsen.host.NetnsHosts;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code runnel jepsen cleanup}: removes what a run that crashed (or was killed with SIGKILL) left behind: processes
 * in the run's namespaces, the namespaces, the bridge, the FORWARD rule and the lock file. A run also does this
 * itself when it starts.
 */
@Command(name = "cleanup", mixinStandardHelpOptions = true,
        description = "Remove the network namespaces, bridge, rules and processes a crashed run left behind.")
final class JepsenCleanupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String missing = NetnsHosts.missing();
        if (missing != null) {
            spec.commandLine().getOut().println("runnel jepsen cleanup: nothing to do without root (" + missing + ")");
            return 0;
        }
        List<String> removed = NetnsHosts.cleanupStale();
        if (removed.isEmpty()) {
            spec.commandLine().getOut().println("nothing to clean up");
        } else {
            removed.forEach(r -> spec.commandLine().getOut().println("removed " + r));
        }
        return 0;
    }
}
