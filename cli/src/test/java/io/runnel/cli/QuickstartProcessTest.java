package io.runnel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quickstart (issue 4's acceptance) with every command a real process: {@code bin/runnel server-start
 * config/server.properties} (moved to free ports by {@code --override}) and each client command as its own
 * {@code bin/runnel} run, its output checked line by line.
 */
class QuickstartProcessTest {

    private static final Path LAUNCHER = LaunchedProcesses.repoRoot().resolve("bin/runnel");
    private static final String TOPIC = "quickstart-events";
    private static final List<String> TYPED = List.of("This is my first event", "This is my second event",
            "a third, with\ttabs and ünïcödé", "and the fourth");

    @TempDir
    Path dir;

    private LaunchedProcesses processes;

    @BeforeEach
    void setUp() {
        processes = new LaunchedProcesses(dir);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        processes.close();
    }

    private LaunchedProcesses.Result runnel(String... args) throws Exception {
        return processes.run(LAUNCHER, LaunchedProcesses.skipBuildEnv(), args);
    }

    private LaunchedProcesses.Result runnelWithInput(List<String> lines, String... args) throws Exception {
        Path input = Files.createTempFile(dir, "stdin-", ".txt");
        Files.write(input, lines);
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toString());
        command.addAll(Arrays.asList(args));
        return processes.runCommand(command, LaunchedProcesses.skipBuildEnv(), input);
    }

    private static void assertSucceeded(LaunchedProcesses.Result r, List<String> out, List<String> err) {
        assertEquals(0, r.exitCode(), () -> "exit code; stderr: " + r.err());
        assertEquals(out, r.out());
        assertEquals(err, r.err());
    }

    @Test
    void theQuickstartWorksAsWritten() throws Exception {
        Path data = dir.resolve("data/node-1");
        RunnelServerProcess server = RunnelServerProcess.start(processes, data);
        String bs = server.bootstrap();

        // server-start formatted its storage and logged one line per listener it bound
        List<String> log = server.logLines();
        assertTrue(Files.exists(data.resolve("meta.properties")));
        assertEquals(1, count(log, "Listening on PLAINTEXT://127.0.0.1:" + server.brokerPort() + " (broker 1)"), log::toString);
        assertEquals(1, count(log, "Listening on CONTROLLER://127.0.0.1:" + server.controllerPort()), log::toString);
        assertEquals(1, count(log, "Formatting metadata storage " + data), log::toString);

        assertSucceeded(runnel("topics", "--bootstrap-server", bs, "--create", "--topic", TOPIC, "--partitions", "3",
                "--replication-factor", "1"), List.of("Created topic " + TOPIC + "."), List.of());
        assertSucceeded(runnel("topics", "--bootstrap-server", bs, "--list"), List.of(TOPIC), List.of());
        checkDescribe(runnel("topics", "--bootstrap-server", bs, "--describe", "--topic", TOPIC));

        // four typed lines, back from --from-beginning
        assertSucceeded(runnelWithInput(TYPED, "console-producer", "--bootstrap-server", bs, "--topic", TOPIC),
                List.of(), List.of());
        LaunchedProcesses.Result consumed = runnel("console-consumer", "--bootstrap-server", bs, "--topic", TOPIC,
                "--from-beginning", "--max-messages", "4");
        assertEquals(0, consumed.exitCode(), consumed.err()::toString);
        assertEquals(sorted(TYPED), sorted(consumed.out()));
        assertEquals(List.of("Processed a total of 4 messages"), consumed.err());
        checkPerPartitionOrder(runnel("console-consumer", "--bootstrap-server", bs, "--topic", TOPIC,
                "--from-beginning", "--max-messages", "4", "--property", "print.partition=true",
                "--property", "print.offset=true"));

        // keyed records: parse.key with ':' in, print.key (key TAB value) out; an auto-created topic
        List<String> keyed = List.of("user-1:logged in", "user-2:logged in", "user-1:clicked: buy", "user-2:left");
        assertSucceeded(runnelWithInput(keyed, "console-producer", "--bootstrap-server", bs, "--topic",
                "keyed-events", "--property", "parse.key=true", "--property", "key.separator=:"), List.of(), List.of());
        LaunchedProcesses.Result keyedBack = runnel("console-consumer", "--bootstrap-server", bs, "--topic",
                "keyed-events", "--from-beginning", "--max-messages", "4", "--property", "print.key=true");
        assertEquals(0, keyedBack.exitCode(), keyedBack.err()::toString);
        // one partition (num.partitions=1 in config/server.properties): the order is the typed order
        assertEquals(List.of("user-1\tlogged in", "user-2\tlogged in", "user-1\tclicked: buy", "user-2\tleft"),
                keyedBack.out());
        assertEquals(List.of("Processed a total of 4 messages"), keyedBack.err());

        assertSucceeded(runnel("topics", "--bootstrap-server", bs, "--delete", "--topic", TOPIC), List.of(),
                List.of());
        assertSucceeded(runnel("topics", "--bootstrap-server", bs, "--list"), List.of("keyed-events"), List.of());
        LaunchedProcesses.Result gone = runnel("topics", "--bootstrap-server", bs, "--describe", "--topic", TOPIC);
        assertEquals(1, gone.exitCode());
        assertEquals(List.of(), gone.out());
        assertEquals(1, gone.err().size(), gone.err()::toString);
        assertTrue(gone.err().get(0).startsWith("runnel: ") && gone.err().get(0).contains(TOPIC),
                gone.err().get(0));
        for (int p = 0; p < 3; p++) {
            assertFalse(Files.exists(data.resolve(TOPIC + "-" + p)), "the deleted topic's partition " + p
                    + " is still on disk");
        }

        // SIGTERM: a clean shutdown that leaves the clean-shutdown marker in the remaining partition
        assertEquals(143, server.terminate());
        assertEquals(1, count(server.logLines(), "Shut down node 1"), () -> "log: " + log);
        assertTrue(Files.exists(data.resolve("keyed-events-0/.runnel-clean-shutdown")));
    }

    private static void checkDescribe(LaunchedProcesses.Result r) {
        assertEquals(0, r.exitCode(), r.err()::toString);
        assertEquals(List.of(), r.err());
        assertEquals(4, r.out().size(), r.out()::toString);
        Matcher topic = Pattern.compile("Topic: " + TOPIC + "\tTopicId: [A-Za-z0-9_-]{22}\tPartitionCount: 3"
                + "\tReplicationFactor: 1\tConfigs: (.*)").matcher(r.out().get(0));
        assertTrue(topic.matches(), r.out().get(0));
        // the topic keys config/server.properties sets explicitly (STATIC_BROKER_CONFIG), in the topic's units
        assertEquals(Set.of("min.insync.replicas=1", "retention.ms=604800000", "segment.bytes=1073741824",
                "max.message.bytes=1048588", "unclean.leader.election.enable=false"),
                Set.of(topic.group(1).split(",")));
        for (int p = 0; p < 3; p++) {
            assertEquals("\tTopic: " + TOPIC + "\tPartition: " + p + "\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: N/A"
                    + "\tLastKnownElr: N/A", r.out().get(p + 1));
        }
    }

    /** Lines {@code Partition:P<TAB>Offset:O<TAB>value}: within a partition, offsets from 0 in typed order. */
    private static void checkPerPartitionOrder(LaunchedProcesses.Result r) {
        assertEquals(0, r.exitCode(), r.err()::toString);
        assertEquals(4, r.out().size(), r.out()::toString);
        Pattern line = Pattern.compile("Partition:([0-2])\tOffset:(\\d+)\t(.*)");
        Map<Integer, List<String>> byPartition = new TreeMap<>();
        for (String l : r.out()) {
            Matcher m = line.matcher(l);
            assertTrue(m.matches(), l);
            List<String> values = byPartition.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new ArrayList<>());
            assertEquals(values.size(), Long.parseLong(m.group(2)), "offsets of partition " + m.group(1) + ": " + l);
            values.add(m.group(3));
        }
        for (List<String> values : byPartition.values()) {
            List<String> typedOrder = TYPED.stream().filter(values::contains).collect(Collectors.toList());
            assertEquals(typedOrder, values);
        }
    }

    private static long count(List<String> lines, String needle) {
        return lines.stream().filter(l -> l.contains(needle)).count();
    }

    private static List<String> sorted(List<String> lines) {
        return lines.stream().sorted().collect(Collectors.toList());
    }
}
