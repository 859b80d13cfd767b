package io.runnel.jepsen.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.jepsen.host.NetnsHosts;
import io.runnel.jepsen.host.Shell;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A run interrupted with Ctrl-C (SIGINT to the {@code runnel jepsen run} process, here started as its own JVM)
 * kills its nodes and removes its namespaces, bridge and rules on the way out; {@code runnel jepsen cleanup} after a
 * SIGKILLed run does the same.
 */
class InterruptedRunTest {
    private Process run;

    private Process start(Path log, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"),
                "-Drunnel.home=" + TestRuns.repoRoot(),
                "-Drunnel.server.classpath=" + System.getProperty("java.class.path"),
                "io.runnel.jepsen.run.JepsenCommand"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    private static void awaitLine(Path log, String text, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.readString(log).contains(text)) {
            assertTrue(p.isAlive(), "the run ended early: " + Files.readString(log));
            assertTrue(System.nanoTime() < deadline, "no '" + text + "' in: " + Files.readString(log));
            Thread.sleep(250);
        }
    }

    private static List<String> nodePids() {
        List<String> pids = new java.util.ArrayList<>();
        for (String line : Shell.quiet("ip", "netns", "list").output().split("\n")) {
            String ns = line.trim().split("\\s+")[0];
            if (ns.startsWith(NetnsHosts.PREFIX)) {
                pids.addAll(List.of(Shell.quiet("ip", "netns", "pids", ns).output().split("\\s+")));
            }
        }
        pids.removeIf(String::isBlank);
        return pids;
    }

    private static Path workDir(String name) throws Exception {
        Path parent = TestRuns.repoRoot().resolve("jepsen-tests/target/jepsen-results");
        Files.createDirectories(parent);
        return Files.createTempDirectory(parent, name + "-");
    }

    /** Starts a long run as its own process and waits until its first fault started; returns its log. */
    private Path startFaultedRun(Path dir, String nemesis) throws Exception {
        Path log = dir.resolve("run.log");
        run = start(log, "run", "--nodes", "3", "--nemesis", nemesis, "--time-limit", "300",
                "--nemesis-interval", "3", "--results-dir", dir.toString());
        awaitLine(log, "starting the workload", run);
        awaitLine(log, " start: ", run);
        return log;
    }

    @Test
    void ctrlCRemovesEverythingTheRunMade() throws Exception {
        Assumptions.assumeTrue(TestRuns.netns(), "needs root, ip, iptables and tc");
        Path log = startFaultedRun(workDir("interrupt"), "partition,pause");
        assertTrue(nodePids().size() >= 3, "nodes run in the namespaces: " + nodePids());
        Shell.check("kill", "-INT", Long.toString(run.pid()));
        assertTrue(run.waitFor(60, TimeUnit.SECONDS), "the run did not exit after SIGINT: " + Files.readString(log));
        assertEquals(List.of(), TestRuns.leftovers(), Files.readString(log));
    }

    @Test
    void cleanupRemovesWhatAKilledRunLeft() throws Exception {
        Assumptions.assumeTrue(TestRuns.netns(), "needs root, ip, iptables and tc");
        Path dir = workDir("kill");
        startFaultedRun(dir, "partition");
        run.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertTrue(!TestRuns.leftovers().isEmpty(), "a SIGKILLed run cannot clean up after itself");
        Path cleanupLog = dir.resolve("cleanup.log");
        Process cleanup = start(cleanupLog, "cleanup");
        assertTrue(cleanup.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, cleanup.exitValue(), Files.readString(cleanupLog));
        assertTrue(Files.readString(cleanupLog).contains("removed namespace rnl-n1"), Files.readString(cleanupLog));
        assertEquals(List.of(), TestRuns.leftovers());
        assertEquals(List.of(), nodePids());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (run != null && run.isAlive()) {
            run.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        NetnsHosts.cleanupStale();
    }
}
