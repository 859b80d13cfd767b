package io.runnel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real {@code bin/runnel} as an OS process. Surefire runs before {@code package}, so cli/target/lib does not
 * exist yet: the launcher is pointed at this JVM's classpath with RUNNEL_CLASSPATH and told not to build with
 * RUNNEL_SKIP_BUILD=1. It still execs a real JVM running {@link RunnelCommand}.
 */
class LauncherTest {

    private static final Path LAUNCHER = LaunchedProcesses.repoRoot().resolve("bin/runnel");

    @TempDir
    Path dir;

    private LaunchedProcesses processes;

    @BeforeEach
    void setUp() {
        assertTrue(Files.isExecutable(LAUNCHER), LAUNCHER + " is missing or not executable");
        processes = new LaunchedProcesses(dir);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        processes.close();
    }

    @Test
    void versionRunsTheCliInARealJvm() throws Exception {
        LaunchedProcesses.Result r = processes.run(LAUNCHER, LaunchedProcesses.skipBuildEnv(), "--version");

        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals(List.of("runnel " + VersionProvider.version()), r.out());
        assertEquals(List.of(), r.err());
    }

    @Test
    void badFlagExitsTwoWithOneLineAndAHint() throws Exception {
        LaunchedProcesses.Result r = processes.run(LAUNCHER, LaunchedProcesses.skipBuildEnv(), "--no-such-flag");

        assertEquals(2, r.exitCode());
        assertEquals(List.of("runnel: Unknown option: '--no-such-flag'", "Run 'runnel --help' for usage."), r.err());
        assertEquals(List.of(), r.out());
    }

    @Test
    void launcherExecsTheJvmSoItsPidIsTheJavaProcess() throws Exception {
        // A JVM suspended by the debug agent stays up (as java) until killed, so there is time to look at it.
        Map<String, String> env = new HashMap<>(LaunchedProcesses.skipBuildEnv());
        env.put("RUNNEL_OPTS", "-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=127.0.0.1:0");
        Process p = processes.start(LAUNCHER, env, "--version");

        long deadline = System.nanoTime() + LaunchedProcesses.TIMEOUT_SECONDS * 1_000_000_000L;
        Optional<String> command = Optional.empty();
        while (System.nanoTime() < deadline && p.isAlive()) {
            command = p.toHandle().info().command();
            if (command.isPresent() && command.get().endsWith("/java")) {
                break;
            }
            Thread.sleep(20);
        }

        assertTrue(p.isAlive(), "the suspended JVM exited early: exit code " + (p.isAlive() ? "" : p.exitValue()));
        assertTrue(command.isPresent() && command.get().endsWith("/java"),
                "the launched pid should become java via exec, but runs " + command);
        assertEquals(Path.of(System.getProperty("java.home"), "bin", "java").toRealPath().toString(),
                Path.of(command.get()).toRealPath().toString(), "JAVA_HOME should pick the JVM");
        assertEquals(0, p.toHandle().children().count(), "exec leaves no child process behind");
    }
}
