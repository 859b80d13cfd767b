package io.runnel.jepsen.run;

import io.runnel.jepsen.host.NetnsHosts;
import io.runnel.jepsen.host.Shell;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Options for in-JVM runs from tests: the nodes run this test JVM's classpath through bin/runnel. */
final class TestRuns {
    private TestRuns() {
    }

    /** The repository root (the parent of the module surefire runs in). */
    static Path repoRoot() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().getParent();
    }

    static RunOptions options(int nodes, List<String> nemeses, int seconds, long seed, String acks,
                              Map<String, String> serverProps, List<String> shapes, int interval) {
        return new RunOptions(nodes, "queue", nemeses, seconds, 100, seed, 1,
                repoRoot().resolve("jepsen-tests/target/jepsen-results"), 3, 2, 1, 1, acks, serverProps, shapes,
                interval, repoRoot(), System.getProperty("java.class.path"));
    }

    /** True when this test may create namespaces (root with ip, iptables, tc). */
    static boolean netns() {
        return NetnsHosts.missing() == null;
    }

    /** What of the run's namespaces, bridge and FORWARD rule is still there (empty when all is gone). */
    static List<String> leftovers() {
        List<String> left = new java.util.ArrayList<>();
        for (String line : Shell.quiet("ip", "netns", "list").output().split("\n")) {
            if (line.startsWith(NetnsHosts.PREFIX)) {
                left.add("namespace " + line);
            }
        }
        for (String line : Shell.quiet("ip", "-o", "link", "show").output().split("\n")) {
            String[] f = line.split(":\\s+|@", 3);
            if (f.length > 1 && f[1].startsWith(NetnsHosts.PREFIX + "v")) {
                left.add("link " + f[1]);
            }
        }
        if (Shell.quiet("ip", "link", "show", NetnsHosts.BRIDGE).ok()) {
            left.add("bridge " + NetnsHosts.BRIDGE);
        }
        if (Shell.quiet("iptables", "-w", "-S", "FORWARD").output().contains(NetnsHosts.BRIDGE)) {
            left.add("FORWARD rule");
        }
        return left;
    }
}
