package io.runnel.cli.perf;

import io.runnel.cli.CliException;
import io.runnel.cli.ErrorHandlers;
import io.runnel.cli.VersionProvider;
import io.runnel.cli.client.BootstrapServers;
import io.runnel.cli.client.BrokerErrors;
import io.runnel.cli.client.ClientFactory;
import io.runnel.cli.client.ClientProperties;
import io.runnel.cli.client.KafkaLogging;
import io.runnel.cli.client.MetricsTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code runnel producer-perf-test --topic T --num-records N --record-size B --throughput R
 * --producer-props bootstrap.servers=HOST:PORT ...}: measures producer throughput and latency with the flags and
 * output of Kafka's {@code kafka-producer-perf-test.sh} (lines described in {@link ProducerPerfStats}). Values are
 * sent without keys; {@code --throughput -1} sends as fast as the producer accepts. {@code --transactional-id} and
 * {@code --transaction-duration-ms} make the run transactional as Kafka's tool does (see {@link PerfTransactions});
 * stdout stays Kafka's format, and one stderr line {@code N transactions committed} follows the summary.
 */
@Command(
        name = "producer-perf-test",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "Measure producer throughput and latency (like kafka-producer-perf-test.sh).")
public final class ProducerPerfTestCommand implements Callable<Integer> {

    private static final long MIN_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "Produce records to this topic.")
    String topic;

    @Option(names = "--num-records", required = true, paramLabel = "N", description = "How many records to send.")
    long numRecords;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Payload payload;

    /** Exactly one way to make record values. */
    static final class Payload {
        @Option(names = "--record-size", paramLabel = "BYTES", description = "Value size of each record, bytes.")
        Integer recordSize;

        @Option(names = "--payload-file", paramLabel = "FILE", description = "UTF-8 file of payloads, one picked "
                + "at random per record.")
        Path payloadFile;

        @Option(names = "--payload-monotonic", description = "Values are the record index as text.")
        boolean monotonic;
    }

    @Option(names = "--payload-delimiter", defaultValue = "\n", paramLabel = "TEXT", showDefaultValue =
            picocli.CommandLine.Help.Visibility.NEVER, description = "What separates payloads in --payload-file "
            + "(default: a newline).")
    String payloadDelimiter;

    @Option(names = "--throughput", required = true, paramLabel = "RECORDS/SEC", description = "Send at most this "
            + "many records per second; -1 for no limit.")
    double throughput;

    @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT", description = "The broker(s) to connect to; "
            + "overrides bootstrap.servers from the other flags.")
    String bootstrapServer;

    @Option(names = {"--producer-props", "--command-property"}, arity = "1..*", paramLabel = "KEY=VALUE",
            description = "Producer configs, e.g. bootstrap.servers=localhost:9092 acks=all; these take precedence "
                    + "over --producer.config.")
    List<String> producerProps;

    @Option(names = {"--producer.config", "--command-config"}, paramLabel = "FILE",
            description = "Properties file of producer configs.")
    Path producerConfig;

    @Option(names = "--transactional-id", paramLabel = "ID", description = "Send in transactions with this "
            + "transactional id; takes precedence over transactional.id in --producer-props or --producer.config.")
    String transactionalId;

    @Option(names = "--transaction-duration-ms", paramLabel = "MS", description = "Commit a transaction once it "
            + "has been open this long, ms (> 0). Enables transactions by itself (id: "
            + PerfTransactions.DEFAULT_ID_PREFIX + "<random uuid>); default "
            + PerfTransactions.DEFAULT_DURATION_MS + " when only a transactional id is given.")
    Long transactionDurationMs;

    @Option(names = "--print-metrics", description = "Print the producer's metrics at the end.")
    boolean printMetrics;

    @Option(names = "--reporting-interval", defaultValue = "5000", paramLabel = "MS",
            description = "How often a progress line is printed, ms (default: ${DEFAULT-VALUE}).")
    long reportingIntervalMs;

    @Spec
    CommandSpec spec;

    private final ClientFactory clients;

    /** The command as {@code bin/runnel} runs it. */
    public ProducerPerfTestCommand() {
        this(ClientFactory.REAL);
    }

    /** @param clients creates the producer (tests pass one returning a {@code MockProducer}) */
    public ProducerPerfTestCommand(ClientFactory clients) {
        this.clients = clients;
    }

    /**
     * @return 0 when every record was acknowledged
     * @throws ParameterException for bad flags (exit 2)
     * @throws CliException for an unreachable broker or failed sends, after the summary line (exit 1)
     */
    @Override
    public Integer call() {
        Throttle throttle = checkArgs();
        Properties props = producerProperties();
        PerfTransactions transactions = PerfTransactions.configure(props, transactionalId, transactionDurationMs);
        BootstrapServers servers = BootstrapServers.parse(props.getProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        PrintWriter out = spec.commandLine().getOut();
        PayloadSource payloads = payloads(out);
        KafkaLogging.configure(ErrorHandlers.isVerbose(spec));
        Producer<byte[], byte[]> producer;
        try {
            producer = clients.producer(props);
            producer.partitionsFor(topic);
        } catch (RuntimeException e) {
            throw BrokerErrors.describe(e, servers);
        }
        try {
            transactions.init(producer);
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw BrokerErrors.describe(e, servers);
        }
        ProducerPerfStats stats = new ProducerPerfStats(numRecords, reportingIntervalMs, System.currentTimeMillis());
        AtomicLong failures = new AtomicLong();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        try {
            long startNanos = System.nanoTime();
            for (long i = 0; i < numRecords; i++) {
                byte[] value = payloads.next(i);
                int size = value.length;
                long sendStartMs = System.currentTimeMillis();
                transactions.beforeSend(producer, sendStartMs);
                producer.send(new ProducerRecord<>(topic, value), (metadata, error) -> {
                    long now = System.currentTimeMillis();
                    if (error != null) {
                        failures.incrementAndGet();
                        firstFailure.compareAndSet(null, error);
                        return;
                    }
                    String line = stats.record((int) (now - sendStartMs), size, now);
                    if (line != null) {
                        out.println(line);
                        out.flush();
                    }
                });
                transactions.afterSend(producer, sendStartMs);
                pause(throttle, i + 1, System.nanoTime() - startNanos);
            }
            transactions.finish(producer);
            producer.flush();
            out.println(stats.totalLine(System.currentTimeMillis()));
            out.flush();
            if (transactions.enabled()) {
                PrintWriter err = spec.commandLine().getErr();
                err.println(transactions.committed() + " transactions committed");
                err.flush();
            }
            if (printMetrics) {
                MetricsTable.lines(producer.metrics()).forEach(out::println);
            }
        } catch (RuntimeException e) {
            if (firstFailure.get() == null) {
                throw BrokerErrors.describe(e, servers);
            }
            // a commit fails once a send of its transaction has failed: report that send's error below
        } finally {
            out.flush();
            producer.close();
        }
        if (failures.get() > 0) {
            throw new CliException(failures.get() + " of " + numRecords + " records failed; the first: "
                    + BrokerErrors.describe(firstFailure.get(), servers).getMessage(), firstFailure.get());
        }
        return 0;
    }

    private static void pause(Throttle throttle, long sent, long elapsedNanos) {
        long pause = throttle.pauseNanos(sent, elapsedNanos);
        if (pause >= MIN_PAUSE_NANOS) {
            try {
                TimeUnit.NANOSECONDS.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted", e);
            }
        }
    }

    private Throttle checkArgs() {
        if (payload == null) {
            fail("one of --record-size, --payload-file or --payload-monotonic is required");
        }
        if (numRecords <= 0) {
            fail("--num-records should be greater than zero");
        }
        if (payload.recordSize != null && payload.recordSize <= 0) {
            fail("--record-size should be greater than zero");
        }
        if (reportingIntervalMs <= 0) {
            fail("--reporting-interval should be greater than zero");
        }
        if (throughput == 0 || Double.isNaN(throughput)) {
            fail("--throughput must be positive, or -1 for no limit");
        }
        if (transactionDurationMs != null && transactionDurationMs <= 0) {
            fail("--transaction-duration-ms should be greater than zero");
        }
        if (transactionalId != null && transactionalId.isBlank()) {
            fail("--transactional-id must not be empty");
        }
        return new Throttle(throughput);
    }

    /** The config file, then --producer-props, then --bootstrap-server; byte-array serializers are implied. */
    Properties producerProperties() {
        Properties props = ClientProperties.merged(producerConfig,
                ClientProperties.parseKeyValues(spec, "--producer-props", producerProps));
        if (bootstrapServer != null) {
            props.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
        }
        String servers = props.getProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
        if (servers == null) {
            fail("--bootstrap-server is required (or bootstrap.servers in --producer-props or --producer.config)");
        }
        try {
            BootstrapServers.parse(servers);
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
        }
        ClientProperties.putIfAbsent(props, ProducerConfig.CLIENT_ID_CONFIG, "perf-producer-client");
        return props;
    }

    private PayloadSource payloads(PrintWriter out) {
        if (payload.recordSize != null) {
            return PayloadSource.randomLetters(payload.recordSize, 0);
        }
        if (payload.monotonic) {
            return PayloadSource.monotonic();
        }
        out.println("Reading payloads from: " + payload.payloadFile.toAbsolutePath());
        List<byte[]> values = PayloadSource.readPayloads(payload.payloadFile, payloadDelimiter);
        out.println("Number of messages read: " + values.size());
        return PayloadSource.pickFrom(values, 0);
    }

    private void fail(String message) {
        throw new ParameterException(spec.commandLine(), message);
    }
}
