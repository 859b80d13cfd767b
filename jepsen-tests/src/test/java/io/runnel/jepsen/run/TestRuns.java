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
                interval, repoRoot(), System.getProperty("java.class.path"), 12);
    }

    /** The kv workload: 4 partitions, {@code keys} keys, 3 writers, 2 readers, 100 ops/s. */
    static RunOptions kvOptions(int nodes, List<String> nemeses, int seconds, long seed, int keys,
                                List<String> shapes, int interval) {
        return new RunOptions(nodes, "kv", nemeses, seconds, 100, seed, 1,
                repoRoot().resolve("jepsen-tests/target/jepsen-results"), 4, 3, 2, 0, "all", Map.of(), shapes,
                interval, repoRoot(), System.getProperty("java.class.path"), keys);
    }

    /** True when this test may create namespaces (root with ip, iptables, tc). */
    static boolean netns() {
        return NetnsHosts.missing() == null;
    }

    /**
     * Why this test may not make namespaces now although it could: another live run holds them (its pid in
     * {@link NetnsHosts#LOCK}); null when none does.
     */
    static String netnsBusy() {
        try {
            Path lock = Path.of(NetnsHosts.LOCK);
            if (!java.nio.file.Files.exists(lock)) {
                return null;
            }
            long pid = Long.parseLong(java.nio.file.Files.readString(lock).trim());
            return ProcessHandle.of(pid).isPresent() && pid != ProcessHandle.current().pid()
                    ? "another jepsen run (pid " + pid + ") holds the network namespaces" : null;
        } catch (Exception e) {
            return null;
        }
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
