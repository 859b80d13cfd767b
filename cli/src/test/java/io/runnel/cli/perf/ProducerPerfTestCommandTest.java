package io.runnel.cli.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.cli.CliRunner;
import io.runnel.cli.CommandFactory;
import io.runnel.cli.client.FakeClients;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runnel producer-perf-test} over kafka-clients' MockProducer. */
class ProducerPerfTestCommandTest {

    private static final String TOTAL = "\\d+ records sent, \\d+\\.\\d{6} records/sec \\(\\d+\\.\\d{2} MB/sec\\), "
            + "\\d+\\.\\d{2} ms avg latency, \\d+\\.\\d{2} ms max latency, \\d+ ms 50th, \\d+ ms 95th, \\d+ ms 99th, "
            + "\\d+ ms 99\\.9th\\.";

    @TempDir
    Path dir;

    private final FakeClients clients = new FakeClients();

    private CliRunner.Result perf(String... args) {
        List<String> full = new ArrayList<>(List.of("producer-perf-test", "--topic", "perf"));
        full.addAll(Arrays.asList(args));
        return CliRunner.run(CommandFactory.with(new ProducerPerfTestCommand(clients)), full.toArray(String[]::new));
    }

    private List<String> values() {
        return clients.mockProducer().history().stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).collect(Collectors.toList());
    }

    @Test
    void sendsRandomLetterValuesAndPrintsKafkasFinalLine() {
        CliRunner.Result r = perf("--num-records", "100", "--record-size", "16", "--throughput", "-1",
                "--producer-props", "bootstrap.servers=localhost:9092", "acks=all");

        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals(List.of(), r.err());
        String last = r.out().get(r.out().size() - 1);
        assertTrue(last.matches(TOTAL), last);
        assertTrue(last.startsWith("100 records sent, "), last);
        assertEquals(100, values().size());
        assertTrue(values().stream().allMatch(v -> v.matches("[A-Z]{16}")), values().get(0));
        assertTrue(clients.mockProducer().history().stream().allMatch(x -> x.key() == null && x.topic().equals("perf")));
        assertEquals("all", clients.producerProps.getProperty("acks"));
        assertEquals("perf-producer-client", clients.producerProps.getProperty("client.id"));
        assertTrue(clients.mockProducer().closed());
    }

    @Test
    void monotonicAndFilePayloads() throws IOException {
        assertEquals(0, perf("--num-records", "3", "--payload-monotonic", "--throughput", "-1",
                "--bootstrap-server", "localhost:9092").exitCode());
        assertEquals(List.of("0", "1", "2"), values());

        clients.producer = FakeClients.autoCompletingProducer();
        Path file = dir.resolve("payloads.txt");
        Files.writeString(file, "alpha\nbeta\n");
        CliRunner.Result r = perf("--num-records", "20", "--payload-file", file.toString(), "--throughput", "-1",
                "--bootstrap-server", "localhost:9092");
        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals("Reading payloads from: " + file.toAbsolutePath(), r.out().get(0));
        assertEquals("Number of messages read: 2", r.out().get(1));
        assertTrue(Set.of("alpha", "beta").containsAll(values()), values().toString());
    }

    @Test
    void bootstrapServerFlagOverridesProducerProps() {
        perf("--num-records", "1", "--record-size", "1", "--throughput", "-1", "--producer-props",
                "bootstrap.servers=a:1", "--bootstrap-server", "b:2");
        assertEquals("b:2", clients.producerProps.getProperty("bootstrap.servers"));
    }

    @Test
    void printMetricsAddsTheTable() {
        CliRunner.Result r = perf("--num-records", "1", "--record-size", "1", "--throughput", "-1",
                "--bootstrap-server", "localhost:9092", "--print-metrics");
        assertEquals(0, r.exitCode(), r.err().toString());
        assertTrue(r.out().get(0).matches(TOTAL), r.out().toString());
    }

    @Test
    void failedSendsEndWithTheSummaryThenOneErrorLine() {
        clients.producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback cb) {
                NotEnoughReplicasException e = new NotEnoughReplicasException("Messages are rejected since there are "
                        + "fewer in-sync replicas than required.");
                cb.onCompletion(null, e);
                return CompletableFuture.failedFuture(e);
            }
        };
        CliRunner.Result r = perf("--num-records", "3", "--record-size", "1", "--throughput", "-1",
                "--bootstrap-server", "localhost:9092");
        assertEquals(1, r.exitCode());
        assertTrue(r.out().get(0).startsWith("0 records sent, "), r.out().toString());
        assertEquals(List.of("runnel: 3 of 3 records failed; the first: Messages are rejected since there are fewer "
                + "in-sync replicas than required."), r.err());
    }

    @Test
    void transactionalIdSendsInTransactionsAndSaysHowManyOnStderrOnly() {
        CliRunner.Result r = perf("--num-records", "100", "--record-size", "16", "--throughput", "-1",
                "--producer-props", "bootstrap.servers=localhost:9092", "acks=all", "--transactional-id", "bench-txn",
                "--transaction-duration-ms", "600000");

        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals(1, r.out().size(), r.out().toString());
        assertTrue(r.out().get(0).matches(TOTAL), r.out().get(0));
        assertEquals(List.of("1 transactions committed"), r.err());
        assertEquals("bench-txn", clients.producerProps.getProperty("transactional.id"));
        assertTrue(clients.mockProducer().transactionInitialized());
        assertEquals(1, clients.mockProducer().commitCount());
        assertEquals(100, values().size());
    }

    @Test
    void theDurationAloneOrTheConfigsEnableTransactions() {
        CliRunner.Result r = perf("--num-records", "5", "--record-size", "1", "--throughput", "-1",
                "--bootstrap-server", "localhost:9092", "--transaction-duration-ms", "1000");
        assertEquals(0, r.exitCode(), r.err().toString());
        assertTrue(clients.producerProps.getProperty("transactional.id").startsWith("performance-producer-"));
        assertEquals(List.of("1 transactions committed"), r.err());

        clients.producer = FakeClients.autoCompletingProducer();
        r = perf("--num-records", "5", "--record-size", "1", "--throughput", "-1",
                "--producer-props", "bootstrap.servers=localhost:9092", "transactional.id=from-props");
        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals("from-props", clients.producerProps.getProperty("transactional.id"));
        assertEquals(1, clients.mockProducer().commitCount());
        assertEquals(List.of("1 transactions committed"), r.err());
    }

    @Test
    void shortTransactionsCommitManyTimes() {
        // 40 records at 400/s take about 100 ms: transactions of 10 ms commit several times
        CliRunner.Result r = perf("--num-records", "40", "--record-size", "1", "--throughput", "400",
                "--bootstrap-server", "localhost:9092", "--transactional-id", "t", "--transaction-duration-ms", "10");
        assertEquals(0, r.exitCode(), r.err().toString());
        long commits = clients.mockProducer().commitCount();
        assertTrue(commits >= 2, "commits: " + commits);
        assertEquals(List.of(commits + " transactions committed"), r.err());
        assertEquals(40, values().size());
    }

    @Test
    void aCommitFailingAfterAFailedSendReportsTheSendsError() {
        MockProducer<byte[], byte[]> failing = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback cb) {
                NotEnoughReplicasException e = new NotEnoughReplicasException("Messages are rejected since there are "
                        + "fewer in-sync replicas than required.");
                cb.onCompletion(null, e);
                return CompletableFuture.failedFuture(e);
            }
        };
        failing.commitTransactionException = new KafkaException("Cannot execute transactional method because we "
                + "are in an error state");
        clients.producer = failing;
        CliRunner.Result r = perf("--num-records", "3", "--record-size", "1", "--throughput", "-1",
                "--bootstrap-server", "localhost:9092", "--transactional-id", "t");
        assertEquals(1, r.exitCode());
        assertEquals(List.of("runnel: 3 of 3 records failed; the first: Messages are rejected since there are fewer "
                + "in-sync replicas than required."), r.err());
        assertTrue(failing.closed());
    }

    @Test
    void aFencedInitIsExitOneWithOneLine() {
        clients.mockProducer().initTransactionException = new ProducerFencedException("There is a newer producer "
                + "with the same transactionalId which fences the current one.");
        CliRunner.Result r = perf("--num-records", "3", "--record-size", "1", "--throughput", "-1",
                "--bootstrap-server", "localhost:9092", "--transactional-id", "t");
        assertEquals(1, r.exitCode());
        assertEquals(1, r.err().size(), r.err().toString());
        assertTrue(r.err().get(0).startsWith("runnel: "), r.err().get(0));
        assertEquals(List.of(), r.out());
        assertTrue(clients.mockProducer().closed());
    }

    @Test
    void badTransactionFlagsAreExitTwoWithOneLine() {
        List<List<String>> cases = List.of(
                List.of("--transaction-duration-ms", "0"),
                List.of("--transaction-duration-ms", "-5"),
                List.of("--transaction-duration-ms", "abc"),
                List.of("--transaction-duration-ms"),
                List.of("--transactional-id", ""),
                List.of("--transactional-id"));
        List<String> base = List.of("--num-records", "5", "--record-size", "1", "--throughput", "-1",
                "--bootstrap-server", "h:1");
        for (List<String> bad : cases) {
            List<String> args = new ArrayList<>(base);
            args.addAll(bad);
            CliRunner.Result r = perf(args.toArray(String[]::new));
            assertEquals(2, r.exitCode(), bad + " " + r.err());
            assertEquals(2, r.err().size(), bad + " " + r.err());
            assertTrue(r.err().get(0).startsWith("runnel: "), r.err().get(0));
            assertEquals("Run 'runnel producer-perf-test --help' for usage.", r.err().get(1));
            assertNull(clients.producerProps, bad.toString());
        }
        List<String> args = new ArrayList<>(base);
        args.addAll(List.of("--transaction-duration-ms", "0"));
        assertEquals("runnel: --transaction-duration-ms should be greater than zero",
                perf(args.toArray(String[]::new)).err().get(0));
        args = new ArrayList<>(base);
        args.addAll(List.of("--transactional-id", ""));
        assertEquals("runnel: --transactional-id must not be empty", perf(args.toArray(String[]::new)).err().get(0));
        args = new ArrayList<>(base);
        args.addAll(List.of("--transaction-duration-ms", "abc"));
        String err = perf(args.toArray(String[]::new)).err().get(0);
        assertTrue(err.contains("--transaction-duration-ms") && err.contains("abc"), err);
    }

    @Test
    void usageErrors() {
        List<List<String>> cases = List.of(
                List.of("--num-records", "5", "--throughput", "-1", "--bootstrap-server", "h:1"),
                List.of("--num-records", "5", "--record-size", "1", "--payload-monotonic", "--throughput", "-1",
                        "--bootstrap-server", "h:1"),
                List.of("--num-records", "0", "--record-size", "1", "--throughput", "-1", "--bootstrap-server", "h:1"),
                List.of("--num-records", "5", "--record-size", "0", "--throughput", "-1", "--bootstrap-server", "h:1"),
                List.of("--num-records", "5", "--record-size", "1", "--throughput", "0", "--bootstrap-server", "h:1"),
                List.of("--num-records", "5", "--record-size", "1", "--throughput", "-1"),
                List.of("--num-records", "5", "--record-size", "1", "--throughput", "-1", "--producer-props", "acks"),
                List.of("--record-size", "1", "--throughput", "-1", "--bootstrap-server", "h:1"));
        for (List<String> args : cases) {
            CliRunner.Result r = perf(args.toArray(String[]::new));
            assertEquals(2, r.exitCode(), args + " " + r.err());
            assertEquals(2, r.err().size(), r.err().toString());
            assertEquals("Run 'runnel producer-perf-test --help' for usage.", r.err().get(1));
            assertNull(clients.producerProps, args.toString());
        }
        assertEquals("runnel: --bootstrap-server is required (or bootstrap.servers in --producer-props or "
                + "--producer.config)", perf("--num-records", "5", "--record-size", "1", "--throughput", "-1")
                .err().get(0));
        assertEquals("runnel: --num-records should be greater than zero", perf("--num-records", "0", "--record-size",
                "1", "--throughput", "-1", "--bootstrap-server", "h:1").err().get(0));
    }
}
