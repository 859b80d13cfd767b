package io.runnel.cli.console;

import io.runnel.cli.CliException;
import io.runnel.cli.ErrorHandlers;
import io.runnel.cli.VersionProvider;
import io.runnel.cli.client.BootstrapServers;
import io.runnel.cli.client.BrokerErrors;
import io.runnel.cli.client.ClientFactory;
import io.runnel.cli.client.ClientProperties;
import io.runnel.cli.client.KafkaLogging;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code runnel console-producer --bootstrap-server HOST:PORT --topic T}: sends each line of stdin as one record,
 * with the flags of Kafka's {@code kafka-console-producer.sh} (reader properties in {@link LineRecordReader}). At
 * end of input it flushes and exits 0; the first failed send ends it with one line and exit 1.
 */
@Command(
        name = "console-producer",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "Read lines from standard input and publish each as a record (like kafka-console-producer.sh).")
public final class ConsoleProducerCommand implements Callable<Integer> {

    private static final Set<String> CODECS = Set.of("none", "gzip", "snappy", "lz4", "zstd");
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--bootstrap-server", required = true, paramLabel = "HOST:PORT",
            description = "The broker(s) to connect to, e.g. localhost:9092.")
    String bootstrapServer;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic to produce to.")
    String topic;

    @Option(names = {"--property", "--reader-property"}, paramLabel = "KEY=VALUE", description = "A line reader "
            + "property (repeatable): parse.key, key.separator, parse.headers, headers.delimiter, headers.separator, "
            + "headers.key.separator, ignore.error, null.marker.")
    List<String> readerProperties;

    @Option(names = "--reader-config", paramLabel = "FILE", description = "Properties file of line reader "
            + "properties; --property takes precedence.")
    Path readerConfig;

    @Option(names = {"--producer-property", "--command-property"}, paramLabel = "KEY=VALUE",
            description = "A producer config (repeatable), e.g. --producer-property linger.ms=5.")
    List<String> producerProperties;

    @Option(names = {"--producer.config", "--command-config"}, paramLabel = "FILE",
            description = "Properties file of producer configs; --producer-property takes precedence.")
    Path producerConfig;

    @Option(names = "--compression-codec", arity = "0..1", fallbackValue = "gzip", paramLabel = "CODEC",
            description = "none, gzip, snappy, lz4 or zstd; gzip when given without a value.")
    String compressionCodec;

    @Option(names = "--sync", description = "Send each record synchronously: wait for its acknowledgement before "
            + "reading the next line.")
    boolean sync;

    @Option(names = "--request-required-acks", defaultValue = "-1", paramLabel = "ACKS",
            description = "The producer's acks: 0, 1 or -1/all (default: ${DEFAULT-VALUE}).")
    String acks;

    @Option(names = "--timeout", defaultValue = "1000", paramLabel = "MS",
            description = "linger.ms: how long a record may wait for a batch to fill, ms (default: ${DEFAULT-VALUE}).")
    long lingerMs;

    @Option(names = "--request-timeout-ms", defaultValue = "1500", paramLabel = "MS",
            description = "request.timeout.ms, ms (default: ${DEFAULT-VALUE}).")
    int requestTimeoutMs;

    @Option(names = "--message-send-max-retries", defaultValue = "3", paramLabel = "N",
            description = "retries (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--retry-backoff-ms", defaultValue = "100", paramLabel = "MS",
            description = "retry.backoff.ms, ms (default: ${DEFAULT-VALUE}).")
    long retryBackoffMs;

    @Option(names = {"--batch-size", "--max-partition-memory-bytes"}, defaultValue = "16384", paramLabel = "BYTES",
            description = "batch.size, bytes (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--max-block-ms", defaultValue = "60000", paramLabel = "MS",
            description = "max.block.ms: the longest a send may wait for metadata or buffer space, ms "
                    + "(default: ${DEFAULT-VALUE}).")
    long maxBlockMs;

    @Option(names = "--max-memory-bytes", defaultValue = "33554432", paramLabel = "BYTES",
            description = "buffer.memory, bytes (default: ${DEFAULT-VALUE}).")
    long bufferMemory;

    @Option(names = "--metadata-expiry-ms", defaultValue = "300000", paramLabel = "MS",
            description = "metadata.max.age.ms, ms (default: ${DEFAULT-VALUE}).")
    long metadataMaxAgeMs;

    @Option(names = "--socket-buffer-size", defaultValue = "102400", paramLabel = "BYTES",
            description = "send.buffer.bytes, bytes (default: ${DEFAULT-VALUE}).")
    int sendBuffer;

    @Spec
    CommandSpec spec;

    private final ClientFactory clients;
    private final InputStream in;

    /** The command as {@code bin/runnel} runs it: a real producer reading {@code System.in}. */
    public ConsoleProducerCommand() {
        this(ClientFactory.REAL, System.in);
    }

    /**
     * @param clients creates the producer (tests pass one returning a {@code MockProducer})
     * @param in the lines to send
     */
    public ConsoleProducerCommand(ClientFactory clients, InputStream in) {
        this.clients = clients;
        this.in = in;
    }

    /**
     * @return 0 once every line was sent and acknowledged
     * @throws ParameterException for bad flags or reader properties (exit 2)
     * @throws CliException for an unparsable line, an unreachable broker or a failed send (exit 1)
     */
    @Override
    public Integer call() {
        BootstrapServers servers = parseBootstrap();
        LineRecordReader reader = lineReader();
        Properties props = producerProperties();
        KafkaLogging.configure(ErrorHandlers.isVerbose(spec));
        Producer<byte[], byte[]> producer;
        try {
            producer = clients.producer(props);
            producer.partitionsFor(topic);
        } catch (RuntimeException e) {
            throw BrokerErrors.describe(e, servers);
        }
        Thread hook = new Thread(() -> producer.close(CLOSE_TIMEOUT), "console-producer-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            sendLines(producer, reader, servers);
        } finally {
            removeHook(hook);
            producer.close(CLOSE_TIMEOUT);
        }
        return 0;
    }

    private void sendLines(Producer<byte[], byte[]> producer, LineRecordReader reader, BootstrapServers servers) {
        AtomicReference<CliException> failure = new AtomicReference<>();
        PrintWriter out = spec.commandLine().getOut();
        boolean prompt = System.console() != null;
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        int lineNumber = 0;
        try {
            while (failure.get() == null) {
                if (prompt) {
                    out.print(">");
                    out.flush();
                }
                String line = lines.readLine();
                if (line == null) {
                    break;
                }
                lineNumber++;
                ProducerRecord<byte[], byte[]> record = parse(reader, line, lineNumber);
                send(producer, record, lineNumber, failure, servers);
            }
            producer.flush();
        } catch (IOException e) {
            throw new CliException("cannot read standard input: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e instanceof CliException cli ? cli : BrokerErrors.describe(e, servers);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private static ProducerRecord<byte[], byte[]> parse(LineRecordReader reader, String line, int lineNumber) {
        try {
            return reader.parse(line, lineNumber);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), e);
        }
    }

    private void send(Producer<byte[], byte[]> producer, ProducerRecord<byte[], byte[]> record, int lineNumber,
            AtomicReference<CliException> failure, BootstrapServers servers) {
        String what = "cannot send line " + lineNumber + " to topic " + topic + ": ";
        if (sync) {
            try {
                producer.send(record).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted", e);
            } catch (ExecutionException e) {
                throw new CliException(what + BrokerErrors.describe(e, servers).getMessage(), e.getCause());
            }
            return;
        }
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                failure.compareAndSet(null, new CliException(what + BrokerErrors.describe(error, servers)
                        .getMessage(), error));
            }
        });
    }

    /**
     * The producer configs: the config file, then {@code --producer-property} values, then the dedicated flags
     * (each applied when given, or when the user's configs do not set its key, as Kafka's tool merges them).
     */
    Properties producerProperties() {
        Properties props = ClientProperties.merged(producerConfig,
                ClientProperties.parseKeyValues(spec, "--producer-property", producerProperties));
        props.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
        if (compressionCodec != null || !props.containsKey(ProducerConfig.COMPRESSION_TYPE_CONFIG)) {
            String codec = compressionCodec == null || compressionCodec.isEmpty() ? "none" : compressionCodec;
            if (!CODECS.contains(codec)) {
                throw new ParameterException(spec.commandLine(), "invalid --compression-codec '" + codec
                        + "': expected none, gzip, snappy, lz4 or zstd");
            }
            props.setProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec);
        }
        ClientProperties.putIfAbsent(props, ProducerConfig.CLIENT_ID_CONFIG, "console-producer");
        merge(props, ProducerConfig.LINGER_MS_CONFIG, "--timeout", lingerMs);
        merge(props, ProducerConfig.ACKS_CONFIG, "--request-required-acks", acks);
        merge(props, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "--request-timeout-ms", requestTimeoutMs);
        merge(props, ProducerConfig.RETRIES_CONFIG, "--message-send-max-retries", retries);
        merge(props, ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "--retry-backoff-ms", retryBackoffMs);
        merge(props, ProducerConfig.SEND_BUFFER_CONFIG, "--socket-buffer-size", sendBuffer);
        merge(props, ProducerConfig.BUFFER_MEMORY_CONFIG, "--max-memory-bytes", bufferMemory);
        merge(props, ProducerConfig.BATCH_SIZE_CONFIG, "--batch-size", batchSize);
        merge(props, ProducerConfig.METADATA_MAX_AGE_CONFIG, "--metadata-expiry-ms", metadataMaxAgeMs);
        merge(props, ProducerConfig.MAX_BLOCK_MS_CONFIG, "--max-block-ms", maxBlockMs);
        return props;
    }

    private void merge(Properties props, String key, String option, Object value) {
        if (spec.commandLine().getParseResult().hasMatchedOption(option) || !props.containsKey(key)) {
            props.setProperty(key, String.valueOf(value));
        }
    }

    private LineRecordReader lineReader() {
        Map<String, String> props = new HashMap<>();
        ClientProperties.load(readerConfig).forEach((k, v) -> props.put((String) k, (String) v));
        ClientProperties.parseKeyValues(spec, "--property", readerProperties)
                .forEach((k, v) -> props.put((String) k, (String) v));
        try {
            return new LineRecordReader(topic, props);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private BootstrapServers parseBootstrap() {
        try {
            return BootstrapServers.parse(bootstrapServer);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting (SIGINT/SIGTERM): the hook closes the producer
        }
    }
}
