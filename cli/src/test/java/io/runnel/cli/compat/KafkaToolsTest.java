package io.runnel.cli.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.cli.LaunchedProcesses;
import io.runnel.cli.RunnelServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Kafka's own command-line tools (test-scoped {@code org.apache.kafka:kafka-tools}) against a Runnel node
 * started by {@code bin/runnel server-start}: {@code TopicCommand} (what {@code kafka-topics.sh} runs)
 * create/list/describe/delete and {@code --replica-assignment} with create and alter, {@code ConsoleProducer} then
 * {@code ConsoleConsumer --partition 0 --offset earliest}.
 * Each tool runs as its own JVM on this test's classpath, as {@code kafka-run-class.sh} would run it, so its
 * {@code Exit.exit} ends only that JVM.
 */
class KafkaToolsTest {

    private static final Path LAUNCHER = LaunchedProcesses.repoRoot().resolve("bin/runnel");

    @TempDir
    Path dir;

    private LaunchedProcesses processes;
    private String bootstrap;

    @BeforeEach
    void setUp() throws Exception {
        processes = new LaunchedProcesses(dir);
        bootstrap = RunnelServerProcess.start(processes, dir.resolve("data")).bootstrap();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        processes.close();
    }

    /** {@code java -cp <test classpath> mainClass args...}, stdin from {@code stdin} (null: /dev/null). */
    private LaunchedProcesses.Result kafkaTool(String mainClass, Path stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(Arrays.asList(args));
        return processes.runCommand(command, Map.of(), stdin);
    }

    private LaunchedProcesses.Result topicCommand(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", bootstrap));
        all.addAll(Arrays.asList(args));
        return kafkaTool("org.apache.kafka.tools.TopicCommand", null, all.toArray(String[]::new));
    }

    private static void assertSucceeded(LaunchedProcesses.Result r, List<String> out) {
        assertEquals(0, r.exitCode(), () -> "exit code; stdout " + r.out() + ", stderr " + r.err());
        assertEquals(out, r.out());
        assertEquals(List.of(), r.err());
    }

    @Test
    void topicCommandCreatesListsDescribesAndDeletes() throws Exception {
        assertSucceeded(topicCommand("--create", "--topic", "orders", "--partitions", "3", "--replication-factor",
                "1", "--config", "retention.ms=3600000"), List.of("Created topic orders."));
        assertSucceeded(topicCommand("--create", "--topic", "audit", "--partitions", "1"),
                List.of("Created topic audit."));
        assertSucceeded(topicCommand("--list"), List.of("audit", "orders"));

        LaunchedProcesses.Result kafkas = topicCommand("--describe", "--topic", "orders");
        assertEquals(0, kafkas.exitCode(), kafkas.err()::toString);
        assertEquals(4, kafkas.out().size(), kafkas.out()::toString);
        assertTrue(kafkas.out().get(0).matches("Topic: orders\tTopicId: [A-Za-z0-9_-]{22}\tPartitionCount: 3"
                + "\tReplicationFactor: 1\tConfigs: .*retention\\.ms=3600000.*"), kafkas.out().get(0));
        for (int p = 0; p < 3; p++) {
            assertEquals("\tTopic: orders\tPartition: " + p + "\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: N/A"
                    + "\tLastKnownElr: N/A", kafkas.out().get(p + 1));
        }
        // Runnel's own tool prints exactly what Kafka's prints, for the whole cluster
        LaunchedProcesses.Result everything = topicCommand("--describe");
        LaunchedProcesses.Result runnels = processes.run(LAUNCHER, LaunchedProcesses.skipBuildEnv(), "topics",
                "--bootstrap-server", bootstrap, "--describe");
        assertEquals(0, runnels.exitCode(), runnels.err()::toString);
        assertEquals(6, everything.out().size(), everything.out()::toString);
        assertEquals(everything.out(), runnels.out());

        assertSucceeded(topicCommand("--delete", "--topic", "orders"), List.of());
        assertSucceeded(topicCommand("--list"), List.of("audit"));
        LaunchedProcesses.Result gone = topicCommand("--describe", "--topic", "orders");
        assertEquals(1, gone.exitCode());
        assertTrue(String.join("\n", gone.err()).contains("Topic 'orders' does not exist as expected"),
                gone.err()::toString);
    }

    @Test
    void topicCommandPlacesReplicasByHand() throws Exception {
        assertSucceeded(topicCommand("--create", "--topic", "placed", "--replica-assignment", "1,1,1"),
                List.of("Created topic placed."));
        assertSucceeded(topicCommand("--alter", "--topic", "placed", "--partitions", "4", "--replica-assignment",
                "1,1,1,1"), List.of());
        LaunchedProcesses.Result described = topicCommand("--describe", "--topic", "placed");
        assertEquals(0, described.exitCode(), described.err()::toString);
        assertEquals(5, described.out().size(), described.out()::toString);
        assertTrue(described.out().get(0).contains("PartitionCount: 4\tReplicationFactor: 1"),
                described.out().get(0));
        for (int p = 0; p < 4; p++) {
            assertEquals("\tTopic: placed\tPartition: " + p + "\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: N/A"
                    + "\tLastKnownElr: N/A", described.out().get(p + 1));
        }
        // broker 2 does not exist: Kafka's InvalidReplicaAssignmentException, and no topic
        LaunchedProcesses.Result refused = topicCommand("--create", "--topic", "nowhere", "--replica-assignment",
                "1:2");
        assertEquals(1, refused.exitCode(), refused.out()::toString);
        assertTrue(String.join("\n", refused.out()).contains("includes broker 2, but no such broker is registered"),
                refused.out()::toString);
        assertSucceeded(topicCommand("--list"), List.of("placed"));
    }

    @Test
    void consoleProducerThenConsoleConsumerFromPartitionZero() throws Exception {
        assertSucceeded(topicCommand("--create", "--topic", "console", "--partitions", "1"),
                List.of("Created topic console."));
        List<String> typed = List.of("k1:first", "k2:second", "k1:third: with a colon", "k3:", "k2:fifth");
        Path stdin = dir.resolve("typed.txt");
        Files.write(stdin, typed);
        LaunchedProcesses.Result produced = kafkaTool("org.apache.kafka.tools.ConsoleProducer", stdin,
                "--bootstrap-server", bootstrap, "--topic", "console", "--reader-property", "parse.key=true",
                "--reader-property", "key.separator=:", "--compression-codec", "lz4");
        assertSucceeded(produced, List.of());

        LaunchedProcesses.Result consumed = kafkaTool("org.apache.kafka.tools.consumer.ConsoleConsumer", null,
                "--bootstrap-server", bootstrap, "--topic", "console", "--partition", "0", "--offset", "earliest",
                "--max-messages", "5", "--timeout-ms", "30000", "--formatter-property", "print.key=true",
                "--formatter-property", "print.offset=true");
        assertEquals(0, consumed.exitCode(), consumed.err()::toString);
        assertEquals(List.of("Offset:0\tk1\tfirst", "Offset:1\tk2\tsecond", "Offset:2\tk1\tthird: with a colon",
                "Offset:3\tk3\t", "Offset:4\tk2\tfifth"), consumed.out());
        assertEquals(List.of("Processed a total of 5 messages"), consumed.err());
    }
}
