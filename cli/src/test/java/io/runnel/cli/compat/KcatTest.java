package io.runnel.cli.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.cli.CliRunner;
import io.runnel.cli.LaunchedProcesses;
import io.runnel.cli.RunnelServerProcess;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kcat (librdkafka, a client that shares no code with kafka-clients) against a Runnel node started by
 * {@code bin/runnel server-start}: {@code -L} lists brokers, topics and partitions; {@code -P -z gzip} then
 * {@code -C -e} round-trips keyed records, stored as gzip batches. kcat must be installed ({@code .ci/run} installs
 * it): without it these tests fail, they never skip.
 */
class KcatTest {

    @TempDir
    Path dir;

    private LaunchedProcesses processes;
    private RunnelServerProcess server;

    @BeforeAll
    static void kcatIsInstalled() {
        boolean found = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, "kcat")));
        assertTrue(found, "kcat is not on PATH; install it (apt-get install -y kcat), as .ci/run does");
    }

    @BeforeEach
    void setUp() throws Exception {
        processes = new LaunchedProcesses(dir);
        server = RunnelServerProcess.start(processes, dir.resolve("data"));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", server.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic("events", 3, (short) 1), new NewTopic("gzipped", 1, (short) 1)))
                    .all().get(60, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        processes.close();
    }

    private LaunchedProcesses.Result kcat(Path stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kcat", "-b", server.bootstrap()));
        command.addAll(Arrays.asList(args));
        return processes.runCommand(command, Map.of(), stdin);
    }

    @Test
    void listsBrokersTopicsAndPartitions() throws Exception {
        LaunchedProcesses.Result r = kcat(null, "-L", "-t", "events");
        assertEquals(0, r.exitCode(), r.err()::toString);
        String broker = server.bootstrap();
        assertEquals(List.of(
                "Metadata for events (from broker 1: " + broker + "/1):",
                " 1 brokers:",
                "  broker 1 at " + broker + " (controller)",
                " 1 topics:",
                "  topic \"events\" with 3 partitions:",
                "    partition 0, leader 1, replicas: 1, isrs: 1",
                "    partition 1, leader 1, replicas: 1, isrs: 1",
                "    partition 2, leader 1, replicas: 1, isrs: 1"), r.out());

        LaunchedProcesses.Result all = kcat(null, "-L");
        assertEquals(0, all.exitCode(), all.err()::toString);
        assertTrue(all.out().contains(" 2 topics:"), all.out()::toString);
        assertTrue(all.out().contains("  topic \"events\" with 3 partitions:"), all.out()::toString);
        assertTrue(all.out().contains("  topic \"gzipped\" with 1 partitions:"), all.out()::toString);
    }

    @Test
    void gzipProducedRecordsComeBackWithKeysAndOffsets() throws Exception {
        int n = 2_000;
        Path input = dir.resolve("records.txt");
        Files.write(input, IntStream.range(0, n).mapToObj(i -> "key-" + (i % 7) + ":value " + i + " "
                + "x".repeat(i % 50)).collect(Collectors.toList()));
        LaunchedProcesses.Result produced = kcat(input, "-P", "-t", "gzipped", "-z", "gzip", "-K", ":",
                "-X", "linger.ms=20");
        assertEquals(0, produced.exitCode(), produced.err()::toString);
        assertEquals(List.of(), produced.err());

        LaunchedProcesses.Result consumed = kcat(null, "-C", "-t", "gzipped", "-o", "beginning", "-e",
                "-f", "%p %o %k %s\\n");
        assertEquals(0, consumed.exitCode(), consumed.err()::toString);
        assertEquals(IntStream.range(0, n).mapToObj(i -> "0 " + i + " key-" + (i % 7) + " value " + i + " "
                + "x".repeat(i % 50)).collect(Collectors.toList()), consumed.out());

        // the batches on disk are gzip ones, as kcat sent them
        Path segment = server.dataDir().resolve("gzipped-0/00000000000000000000.log");
        CliRunner.Result dump = CliRunner.run("dump-log", "--files", segment.toString());
        assertEquals(0, dump.exitCode(), dump.err()::toString);
        List<String> batches = dump.out().stream().filter(l -> l.startsWith("baseOffset: "))
                .collect(Collectors.toList());
        assertFalse(batches.isEmpty(), dump.out()::toString);
        assertTrue(batches.stream().allMatch(l -> l.contains("compresscodec: gzip") && l.contains("isvalid: true")),
                batches::toString);
        assertTrue(batches.get(batches.size() - 1).contains("lastOffset: " + (n - 1)), batches::toString);
    }
}
