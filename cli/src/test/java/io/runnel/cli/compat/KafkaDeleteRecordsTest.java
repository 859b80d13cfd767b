package io.runnel.cli.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * Apache Kafka's {@code DeleteRecordsCommand} (what {@code kafka-delete-records.sh} runs) against a Runnel node
 * started by {@code bin/runnel server-start}, then Kafka's {@code GetOffsetShell --time -2} showing the new log start
 * offsets. Each tool is its own JVM on this test's classpath. (Every replica of a three-node cluster following the
 * leader's log start: broker's {@code DeleteRecordsReplicationTest}.)
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class KafkaDeleteRecordsTest {
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

    private LaunchedProcesses.Result kafkaTool(String mainClass, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(Arrays.asList(args));
        return processes.runCommand(command, Map.of(), null);
    }

    @Test
    void kafkasDeleteRecordsSucceedsAndGetOffsetShellShowsTheNewLogStart() throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic("events", 2, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>("events", 0, "k" + i, "v" + i));
                producer.send(new ProducerRecord<>("events", 1, "k" + i, "v" + i));
            }
            producer.flush();
        }
        Path json = dir.resolve("delete.json");
        Files.writeString(json, "{\"partitions\":[{\"topic\":\"events\",\"partition\":0,\"offset\":10},"
                + "{\"topic\":\"events\",\"partition\":1,\"offset\":-1}],\"version\":1}");

        LaunchedProcesses.Result deleted = kafkaTool("org.apache.kafka.tools.DeleteRecordsCommand",
                "--bootstrap-server", bootstrap, "--offset-json-file", json.toString());
        assertEquals(0, deleted.exitCode(), () -> deleted.out() + " " + deleted.err());
        assertEquals("Executing records delete operation", deleted.out().get(0));
        assertEquals("Records delete operation completed:", deleted.out().get(1));
        assertEquals(List.of("partition: events-0\tlow_watermark: 10", "partition: events-1\tlow_watermark: 50"),
                deleted.out().subList(2, deleted.out().size()).stream().sorted().toList());

        LaunchedProcesses.Result earliest = kafkaTool("org.apache.kafka.tools.GetOffsetShell",
                "--bootstrap-server", bootstrap, "--topic", "events", "--time", "-2");
        assertEquals(0, earliest.exitCode(), () -> earliest.out() + " " + earliest.err());
        assertEquals(List.of("events:0:10", "events:1:50"), earliest.out());

        LaunchedProcesses.Result latest = kafkaTool("org.apache.kafka.tools.GetOffsetShell",
                "--bootstrap-server", bootstrap, "--topic", "events", "--time", "-1");
        assertEquals(List.of("events:0:50", "events:1:50"), latest.out());
    }
}
