package io.runnel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's build-if-stale logic, run on a copy of {@code bin/runnel} in a throwaway repo with a fake
 * {@code mvn} that logs its calls and creates cli/target/classes and cli/target/lib. The JVM it then execs runs this
 * test's classpath (RUNNEL_CLASSPATH), so each run really ends in {@code runnel --version}.
 */
class LauncherBuildTest {

    private static final String BUILDING = "runnel: building (mvn -q -B -DskipTests package)...";
    private static final String FAKE_MVN = """
            #!/bin/sh
            echo "$(pwd) $*" >> "$FAKE_MVN_LOG"
            if [ "${FAKE_MVN_FAIL:-0}" = 1 ]; then echo "[ERROR] compilation failed" >&2; exit 1; fi
            mkdir -p cli/target/classes cli/target/lib
            """;

    @TempDir
    Path dir;

    private Path root;
    private Path launcher;
    private Path mvnLog;
    private Path stamp;
    private final Map<String, String> env = new HashMap<>(LaunchedProcesses.skipBuildEnv());
    private LaunchedProcesses processes;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(dir.resolve("repo")).toRealPath();
        launcher = Files.createDirectories(root.resolve("bin")).resolve("runnel");
        Files.copy(LaunchedProcesses.repoRoot().resolve("bin/runnel"), launcher, StandardCopyOption.COPY_ATTRIBUTES);
        aged(Files.writeString(root.resolve("pom.xml"), "<project/>"), -120);
        aged(write("core/src/main/java/io/x/A.java", "class A {}"), -120);

        Path fakeBin = Files.createDirectories(dir.resolve("fakebin"));
        Files.writeString(fakeBin.resolve("mvn"), FAKE_MVN);
        Files.setPosixFilePermissions(fakeBin.resolve("mvn"), PosixFilePermissions.fromString("rwxr-xr-x"));
        mvnLog = dir.resolve("mvn-calls.txt");
        stamp = root.resolve("cli/target/.runnel-build-stamp");

        env.remove("RUNNEL_SKIP_BUILD");
        env.put("PATH", fakeBin + File.pathSeparator + System.getenv("PATH"));
        env.put("FAKE_MVN_LOG", mvnLog.toString());
        processes = new LaunchedProcesses(dir);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (processes != null) {
            processes.close();
        }
    }

    @Test
    void buildsOnFirstRunThenExecsAndSkipsTheBuildWhenNothingChanged() throws Exception {
        LaunchedProcesses.Result first = processes.run(launcher, env, "--version");
        assertEquals(0, first.exitCode(), first.err().toString());
        assertEquals(List.of(BUILDING), first.err());
        assertEquals(List.of("runnel " + VersionProvider.version()), first.out());
        assertEquals(List.of(root + " -q -B -Dstyle.color=never -DskipTests package"), mvnCalls());
        assertTrue(Files.exists(stamp), "stamp written after a successful build");

        LaunchedProcesses.Result second = processes.run(launcher, env, "--version");
        assertEquals(0, second.exitCode());
        assertEquals(List.of(), second.err());
        assertEquals(1, mvnCalls().size(), "no rebuild when nothing changed");
    }

    @Test
    void rebuildsWhenASourceOrResourceIsNewerThanTheStamp() throws Exception {
        processes.run(launcher, env, "--version");

        for (String changed : List.of("core/src/main/java/io/x/A.java", "core/pom.xml",
                "core/src/main/proto/m.proto", "core/src/main/resources/x.properties")) {
            aged(stamp, -60);
            aged(write(changed, "changed"), -30);
            LaunchedProcesses.Result r = processes.run(launcher, env, "--version");
            assertEquals(0, r.exitCode(), r.err().toString());
            assertEquals(List.of(BUILDING), r.err(), "a newer " + changed + " triggers a build");
        }
        assertEquals(5, mvnCalls().size());
    }

    @Test
    void ignoresTargetAndDataDirectoriesAndOtherFiles() throws Exception {
        processes.run(launcher, env, "--version");
        aged(stamp, -60);
        aged(write("core/target/generated-sources/B.java", "class B {}"), -30);
        aged(write("data/node-1/C.java", "class C {}"), -30);
        aged(write("core/notes.txt", "not a source"), -30);

        LaunchedProcesses.Result r = processes.run(launcher, env, "--version");

        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals(List.of(), r.err());
        assertEquals(1, mvnCalls().size());
    }

    @Test
    void aFailedBuildExitsOneWithAClearMessageAndWritesNoStamp() throws Exception {
        env.put("FAKE_MVN_FAIL", "1");

        LaunchedProcesses.Result r = processes.run(launcher, env, "--version");

        assertEquals(1, r.exitCode());
        assertEquals(List.of(), r.out());
        assertEquals(BUILDING, r.err().get(0));
        assertTrue(r.err().get(r.err().size() - 1).startsWith("runnel: build failed"), r.err().toString());
        assertFalse(Files.exists(stamp));
    }

    @Test
    void missingMavenIsAClearError() throws Exception {
        Path tools = Files.createDirectories(dir.resolve("tools"));
        for (String tool : List.of("bash", "dirname", "readlink", "find", "mkdir", "touch", "mv", "rm")) {
            // Wrapper scripts rather than symlinks: JUnit warns about links leaving the temp dir.
            Path wrapper = Files.writeString(tools.resolve(tool), "#!/bin/sh\nexec " + onPath(tool) + " \"$@\"\n");
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        env.put("PATH", tools.toString());

        LaunchedProcesses.Result r = processes.run(launcher, env, "--version");

        assertEquals(1, r.exitCode());
        assertEquals(1, r.err().size(), r.err().toString());
        assertTrue(r.err().get(0).startsWith("runnel: the project needs building but 'mvn' is not on PATH"),
                r.err().get(0));
    }

    @Test
    void resolvesTheRepoThroughASymlinkedLauncher() throws Exception {
        processes.run(launcher, env, "--version");
        Path link = Files.createDirectories(dir.resolve("elsewhere/bin")).resolve("runnel");
        Files.createSymbolicLink(link, launcher);

        LaunchedProcesses.Result r = processes.run(link, env, "--version");

        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals(List.of(), r.err(), "the symlink must find the built repo, not try to build elsewhere");
        assertEquals(1, mvnCalls().size());
    }

    @Test
    void aBadJavaHomeIsAClearError() throws Exception {
        env.put("RUNNEL_SKIP_BUILD", "1");
        env.put("JAVA_HOME", dir.resolve("no-jdk").toString());

        LaunchedProcesses.Result r = processes.run(launcher, env, "--version");

        assertEquals(1, r.exitCode());
        assertEquals(1, r.err().size(), r.err().toString());
        assertTrue(r.err().get(0).startsWith("runnel: JAVA_HOME is set to"), r.err().get(0));
    }

    private Path write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private static Path aged(Path file, int secondsFromNow) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(secondsFromNow)));
        return file;
    }

    private List<String> mvnCalls() throws IOException {
        return Files.exists(mvnLog) ? Files.readAllLines(mvnLog) : List.of();
    }

    private static Path onPath(String tool) {
        for (String d : System.getenv("PATH").split(File.pathSeparator)) {
            Path candidate = Path.of(d, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(tool + " is not on PATH");
    }
}
