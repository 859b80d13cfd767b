package io.runnel.cli.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.cli.LaunchedProcesses;
import io.runnel.cli.RunnelServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Kafka's {@code LeaderElectionCommand} and {@code LogDirsCommand} (what {@code kafka-leader-election.sh} and
 * {@code kafka-log-dirs.sh} run) against a Runnel node started by {@code bin/runnel server-start}, next to {@code
 * bin/runnel leader-election} and {@code bin/runnel log-dirs}: the same lines and the same JSON. Each tool is its own
 * JVM on this test's classpath. (Leadership actually moving back to a restarted preferred replica: broker's {@code
 * ElectLeadersClusterTest}.)
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class KafkaLeaderElectionLogDirsTest {
    private static final Path LAUNCHER = LaunchedProcesses.repoRoot().resolve("bin/runnel");
    @TempDir
    Path dir;
    private LaunchedProcesses processes;
    private String bootstrap;

    @BeforeEach
    void setUp() throws Exception {
        processes = new LaunchedProcesses(dir);
        bootstrap = RunnelServerProcess.start(processes, dir.resolve("data")).bootstrap();
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic("e", 1, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>("e", 0, "k" + i, "v" + i));
            }
            producer.flush();
        }
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        processes.close();
    }

    private LaunchedProcesses.Result kafkaTool(String mainClass, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(Arrays.asList(args));
        return processes.runCommand(command, Map.of(), null);
    }

    private LaunchedProcesses.Result runnel(String... args) throws Exception {
        return processes.run(LAUNCHER, LaunchedProcesses.skipBuildEnv(), args);
    }

    @Test
    void leaderElectionPrintsKafkasLines() throws Exception {
        String[] preferred = {"--bootstrap-server", bootstrap, "--election-type", "preferred", "--topic", "e",
            "--partition", "0"};
        LaunchedProcesses.Result kafka = kafkaTool("org.apache.kafka.tools.LeaderElectionCommand", preferred);
        assertEquals(0, kafka.exitCode(), () -> kafka.out() + " " + kafka.err());
        assertEquals(List.of("Valid replica already elected for partitions e-0"), kafka.out());
        LaunchedProcesses.Result ours = runnel(prepend("leader-election", preferred));
        assertEquals(0, ours.exitCode(), ours.err()::toString);
        assertEquals(kafka.out(), ours.out());

        Path json = dir.resolve("election.json");
        Files.writeString(json, "{\"partitions\":[{\"topic\":\"e\",\"partition\":0}]}");
        String[] unclean = {"--bootstrap-server", bootstrap, "--election-type", "UNCLEAN", "--path-to-json-file",
            json.toString()};
        LaunchedProcesses.Result kafkaUnclean = kafkaTool("org.apache.kafka.tools.LeaderElectionCommand", unclean);
        assertEquals(0, kafkaUnclean.exitCode(), () -> kafkaUnclean.out() + " " + kafkaUnclean.err());
        assertEquals(kafkaUnclean.out(), runnel(prepend("leader-election", unclean)).out());

        String[] all = {"--bootstrap-server", bootstrap, "--election-type", "preferred", "--all-topic-partitions"};
        LaunchedProcesses.Result kafkaAll = kafkaTool("org.apache.kafka.tools.LeaderElectionCommand", all);
        assertEquals(0, kafkaAll.exitCode(), () -> kafkaAll.out() + " " + kafkaAll.err());
        assertEquals(List.of(), kafkaAll.out(), "nothing needed an election");
        LaunchedProcesses.Result oursAll = runnel(prepend("leader-election", all));
        assertEquals(0, oursAll.exitCode());
        assertEquals(List.of(), oursAll.out());

        String[] unknown = {"--bootstrap-server", bootstrap, "--election-type", "preferred", "--topic", "nope",
            "--partition", "0"};
        LaunchedProcesses.Result kafkaUnknown = kafkaTool("org.apache.kafka.tools.LeaderElectionCommand", unknown);
        assertEquals(1, kafkaUnknown.exitCode());
        assertEquals(List.of("Error completing leader election (PREFERRED) for partition: nope-0: "
                + "org.apache.kafka.common.errors.UnknownTopicOrPartitionException: No such topic as nope"),
                kafkaUnknown.out());
        LaunchedProcesses.Result oursUnknown = runnel(prepend("leader-election", unknown));
        assertEquals(1, oursUnknown.exitCode());
        assertEquals(kafkaUnknown.out(), oursUnknown.out());
        assertEquals(List.of("runnel: 1 replica(s) could not be elected"), oursUnknown.err());
    }

    @Test
    void logDirsPrintsKafkasJson() throws Exception {
        String[] describe = {"--bootstrap-server", bootstrap, "--describe"};
        LaunchedProcesses.Result kafka = kafkaTool("org.apache.kafka.tools.LogDirsCommand", describe);
        assertEquals(0, kafka.exitCode(), () -> kafka.out() + " " + kafka.err());
        LaunchedProcesses.Result ours = runnel(prepend("log-dirs", describe));
        assertEquals(0, ours.exitCode(), ours.err()::toString);
        assertEquals(kafka.out(), ours.out());
        assertEquals(List.of("Querying brokers for log directories information",
                "Received log directory information from brokers 1"), ours.out().subList(0, 2));
        JsonNode root = new ObjectMapper().readTree(ours.out().get(2));
        JsonNode logDir = root.get("brokers").get(0).get("logDirs").get(0);
        assertEquals(dir.resolve("data").toAbsolutePath().toString(), logDir.get("logDir").asText());
        JsonNode partition = logDir.get("partitions").get(0);
        assertEquals("e-0", partition.get("partition").asText());
        assertTrue(partition.get("size").asLong() > 0, partition.toString());
        assertEquals(0, partition.get("offsetLag").asLong());

        String[] filtered = {"--bootstrap-server", bootstrap, "--describe", "--topic-list", "other",
            "--broker-list", "1"};
        LaunchedProcesses.Result kafkaFiltered = kafkaTool("org.apache.kafka.tools.LogDirsCommand", filtered);
        assertEquals(kafkaFiltered.out(), runnel(prepend("log-dirs", filtered)).out());
        assertTrue(kafkaFiltered.out().get(2).contains("\"partitions\":[]"), kafkaFiltered.out().toString());

        LaunchedProcesses.Result missing = runnel("log-dirs", "--bootstrap-server", bootstrap, "--describe",
                "--broker-list", "1,5");
        assertEquals(1, missing.exitCode());
        assertEquals(List.of("runnel: ERROR: The given brokers do not exist from --broker-list: 5. Current existent "
                + "brokers: 1"), missing.err());
    }

    private static String[] prepend(String command, String[] args) {
        String[] out = new String[args.length + 1];
        out[0] = command;
        System.arraycopy(args, 0, out, 1, args.length);
        return out;
    }
}
