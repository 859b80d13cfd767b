package io.runnel.cli.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.cli.CliRunner;
import io.runnel.cli.CommandFactory;
import io.runnel.cli.client.FakeClients;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** {@code runnel console-producer} over kafka-clients' MockProducer. */
class ConsoleProducerCommandTest {

    private final FakeClients clients = new FakeClients();

    private CliRunner.Result produce(String input, String... args) {
        if (clients.producer instanceof MockProducer<byte[], byte[]> used && used.closed()) {
            clients.producer = FakeClients.autoCompletingProducer();
        }
        ConsoleProducerCommand command = new ConsoleProducerCommand(clients,
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        List<String> full = new ArrayList<>(List.of("console-producer", "--bootstrap-server", "localhost:9092",
                "--topic", "quickstart-events"));
        full.addAll(Arrays.asList(args));
        return CliRunner.run(CommandFactory.with(command), full.toArray(String[]::new));
    }

    private List<String> sent(boolean keys) {
        List<String> out = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : clients.mockProducer().history()) {
            String value = new String(r.value(), StandardCharsets.UTF_8);
            out.add(keys ? (r.key() == null ? "null" : new String(r.key(), StandardCharsets.UTF_8)) + "=" + value
                    : value);
        }
        return out;
    }

    @Test
    void eachLineBecomesOneRecordAndTheProducerIsClosed() {
        CliRunner.Result r = produce("This is my first event\nThis is my second event\n\nlast without newline");

        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals(List.of(), r.err());
        assertEquals(List.of("This is my first event", "This is my second event", "", "last without newline"),
                sent(false));
        assertTrue(clients.mockProducer().history().stream().allMatch(x -> x.topic().equals("quickstart-events")));
        assertTrue(clients.mockProducer().closed());
    }

    @Test
    void parseKeyWithASeparator() {
        CliRunner.Result r = produce("k1-v1\nk2-v2\n", "--property", "parse.key=true", "--property",
                "key.separator=-", "--sync");
        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals(List.of("k1=v1", "k2=v2"), sent(true));
    }

    @Test
    void producerConfigsFollowKafkasDefaultsAndPrecedence() {
        assertEquals(0, produce("").exitCode());
        assertEquals("localhost:9092", clients.producerProps.getProperty("bootstrap.servers"));
        assertEquals("none", clients.producerProps.getProperty("compression.type"));
        assertEquals("-1", clients.producerProps.getProperty("acks"));
        assertEquals("1000", clients.producerProps.getProperty("linger.ms"));
        assertEquals("1500", clients.producerProps.getProperty("request.timeout.ms"));
        assertEquals("console-producer", clients.producerProps.getProperty("client.id"));

        assertEquals(0, produce("", "--compression-codec", "--producer-property", "linger.ms=5",
                "--request-required-acks", "1", "--producer-property", "client.id=me").exitCode());
        assertEquals("gzip", clients.producerProps.getProperty("compression.type"));
        assertEquals("5", clients.producerProps.getProperty("linger.ms"));
        assertEquals("1", clients.producerProps.getProperty("acks"));
        assertEquals("me", clients.producerProps.getProperty("client.id"));

        assertEquals(0, produce("", "--compression-codec", "zstd", "--producer-property", "linger.ms=5",
                "--timeout", "7").exitCode());
        assertEquals("zstd", clients.producerProps.getProperty("compression.type"));
        assertEquals("7", clients.producerProps.getProperty("linger.ms"));
    }

    @Test
    void anUnparsableLineStopsWithKafkasMessageAfterSendingThePreviousOnes() {
        CliRunner.Result r = produce("a\tb\nbad\nc\td\n", "--property", "parse.key=true");
        assertEquals(1, r.exitCode());
        assertEquals(List.of("runnel: No key separator found on line number 2: 'bad'"), r.err());
        assertEquals(List.of("a=b"), sent(true));
    }

    @Test
    void aFailedSendIsOneLineAndExitOne() {
        clients.producer = new FailingProducer();
        CliRunner.Result r = produce("one\ntwo\n");
        assertEquals(1, r.exitCode());
        assertEquals(List.of("runnel: cannot send line 1 to topic quickstart-events: too big"), r.err());

        clients.producer = new FailingProducer();
        CliRunner.Result sync = produce("one\n", "--sync");
        assertEquals(1, sync.exitCode());
        assertEquals(List.of("runnel: cannot send line 1 to topic quickstart-events: too big"), sync.err());
    }

    @Test
    void usageErrorsExitTwoWithoutAProducer() {
        for (String[] args : List.of(
                new String[] {"--compression-codec", "brotli"},
                new String[] {"--property", "nokeyvalue"},
                new String[] {"--property", "null.marker=\t"},
                new String[] {"--producer-property", "x"})) {
            CliRunner.Result r = produce("x\n", args);
            assertEquals(2, r.exitCode(), Arrays.toString(args) + r.err());
            assertEquals(2, r.err().size(), r.err().toString());
            assertEquals("Run 'runnel console-producer --help' for usage.", r.err().get(1));
            assertNull(clients.producerProps, Arrays.toString(args));
        }
        assertEquals(List.of("runnel: invalid --compression-codec 'brotli': expected none, gzip, snappy, lz4 or zstd",
                "Run 'runnel console-producer --help' for usage."), produce("", "--compression-codec", "brotli").err());
    }

    /** A producer whose every send fails as a broker rejection would, through the callback and the future. */
    private static final class FailingProducer extends MockProducer<byte[], byte[]> {
        FailingProducer() {
            super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            RecordTooLargeException error = new RecordTooLargeException("too big");
            if (callback != null) {
                callback.onCompletion(null, error);
            }
            return CompletableFuture.failedFuture(error);
        }
    }
}
