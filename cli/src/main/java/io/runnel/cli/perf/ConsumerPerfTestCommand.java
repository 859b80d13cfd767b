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
import io.runnel.cli.client.TopicLookup;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code runnel consumer-perf-test --bootstrap-server HOST:PORT --topic T --messages N}: measures consumer
 * throughput with the flags and output of Kafka's {@code kafka-consumer-perf-test.sh} (lines described in
 * {@link ConsumerPerfFormat}). With {@code --group} it reads as a group member (rebalance time is measured);
 * without one it assigns itself every partition, needing no group, and starts at the beginning (the end with
 * {@code --from-latest}).
 */
@Command(
        name = "consumer-perf-test",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "Measure consumer throughput (like kafka-consumer-perf-test.sh).")
public final class ConsumerPerfTestCommand implements Callable<Integer> {

    private static final Duration POLL = Duration.ofMillis(100);

    @Option(names = "--bootstrap-server", required = true, paramLabel = "HOST:PORT",
            description = "The broker(s) to connect to, e.g. localhost:9092.")
    String bootstrapServer;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic to consume from.")
    String topic;

    @Option(names = {"--messages", "--num-records"}, required = true, paramLabel = "N",
            description = "How many records to consume.")
    long messages;

    @Option(names = "--group", paramLabel = "GROUP", description = "Consume as a member of this group; without it "
            + "all partitions are assigned directly.")
    String group;

    @Option(names = "--timeout", defaultValue = "10000", paramLabel = "MS", description = "Stop when no record "
            + "arrived for this long, ms (default: ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Option(names = "--show-detailed-stats", description = "Print a progress line every --reporting-interval "
            + "instead of one summary line.")
    boolean detailed;

    @Option(names = "--reporting-interval", defaultValue = "5000", paramLabel = "MS",
            description = "Interval between progress lines, ms (default: ${DEFAULT-VALUE}).")
    long reportingIntervalMs;

    @Option(names = "--fetch-size", defaultValue = "1048576", paramLabel = "BYTES",
            description = "max.partition.fetch.bytes, bytes (default: ${DEFAULT-VALUE}).")
    int fetchSize;

    @Option(names = "--socket-buffer-size", defaultValue = "2097152", paramLabel = "BYTES",
            description = "receive.buffer.bytes, bytes (default: ${DEFAULT-VALUE}).")
    int socketBufferSize;

    @Option(names = "--from-latest", description = "Start at the end of each partition instead of the beginning "
            + "(when there is no committed offset).")
    boolean fromLatest;

    @Option(names = {"--consumer.config", "--command-config"}, paramLabel = "FILE",
            description = "Properties file of consumer configs.")
    Path consumerConfig;

    @Option(names = "--command-property", paramLabel = "KEY=VALUE", description = "A consumer config (repeatable).")
    List<String> commandProperties;

    @Option(names = "--print-metrics", description = "Print the consumer's metrics at the end.")
    boolean printMetrics;

    @Option(names = "--date-format", defaultValue = "yyyy-MM-dd HH:mm:ss:SSS", paramLabel = "PATTERN",
            description = "java.text.SimpleDateFormat pattern of the time fields (default: ${DEFAULT-VALUE}).")
    String dateFormat;

    @Option(names = "--hide-header", description = "Do not print the header line.")
    boolean hideHeader;

    @Spec
    CommandSpec spec;

    private final ClientFactory clients;

    /** The command as {@code bin/runnel} runs it. */
    public ConsumerPerfTestCommand() {
        this(ClientFactory.REAL);
    }

    /** @param clients creates the consumer (tests pass one returning a {@code MockConsumer}) */
    public ConsumerPerfTestCommand(ClientFactory clients) {
        this.clients = clients;
    }

    /**
     * @return 0 when the run finished (also when it stopped at --timeout, after Kafka's warning line)
     * @throws ParameterException for bad flags (exit 2)
     * @throws CliException for an unreachable broker, an unknown topic or a consumer failure (exit 1)
     */
    @Override
    public Integer call() {
        SimpleDateFormat dates = checkArgs();
        BootstrapServers servers = BootstrapServers.parse(bootstrapServer);
        Properties props = consumerProperties();
        KafkaLogging.configure(ErrorHandlers.isVerbose(spec));
        PrintWriter out = spec.commandLine().getOut();
        Consumer<byte[], byte[]> consumer;
        try {
            consumer = clients.consumer(props);
        } catch (RuntimeException e) {
            throw BrokerErrors.describe(e, servers);
        }
        try {
            List<PartitionInfo> partitions = TopicLookup.partitions(consumer, props, topic);
            if (partitions.isEmpty()) {
                throw new CliException("Topic '" + topic + "' does not exist");
            }
            if (!hideHeader) {
                out.println(ConsumerPerfFormat.header(detailed));
            }
            run(consumer, partitions, dates, out);
        } catch (RuntimeException e) {
            throw BrokerErrors.describe(e, servers);
        } finally {
            out.flush();
            consumer.close(Duration.ofSeconds(5));
        }
        return 0;
    }

    private void run(Consumer<byte[], byte[]> consumer, List<PartitionInfo> partitions, SimpleDateFormat dates,
            PrintWriter out) {
        long startMs = System.currentTimeMillis();
        RebalanceTimer rebalances = new RebalanceTimer(System::currentTimeMillis);
        if (group != null) {
            consumer.subscribe(List.of(topic), rebalances);
        } else {
            List<TopicPartition> all = partitions.stream()
                    .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
            consumer.assign(all);
            if (fromLatest) {
                consumer.seekToEnd(all);
            } else {
                consumer.seekToBeginning(all);
            }
        }
        long read = 0;
        long bytes = 0;
        long lastRead = 0;
        long lastBytes = 0;
        long now = startMs;
        long lastReportMs = startMs;
        long lastConsumedMs = startMs;
        while (read < messages && now - lastConsumedMs <= timeoutMs) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
            now = System.currentTimeMillis();
            if (!records.isEmpty()) {
                lastConsumedMs = now;
            }
            for (ConsumerRecord<byte[], byte[]> record : records) {
                read++;
                bytes += (record.key() == null ? 0 : record.key().length)
                        + (record.value() == null ? 0 : record.value().length);
                if (now - lastReportMs >= reportingIntervalMs) {
                    long rebalanceMs = rebalances.takeIntervalMs();
                    if (detailed) {
                        out.println(ConsumerPerfFormat.progress(dates, lastReportMs, now, bytes, lastBytes, read,
                                lastRead, rebalanceMs));
                        out.flush();
                    }
                    lastReportMs = now;
                    lastRead = read;
                    lastBytes = bytes;
                }
            }
        }
        long endMs = System.currentTimeMillis();
        if (read < messages) {
            out.println(ConsumerPerfFormat.timeoutWarning(timeoutMs));
        }
        if (!detailed) {
            out.println(ConsumerPerfFormat.summary(dates, startMs, endMs, bytes, read, rebalances.totalMs()));
        }
        if (printMetrics) {
            MetricsTable.lines(consumer.metrics()).forEach(out::println);
        }
    }

    private SimpleDateFormat checkArgs() {
        if (messages <= 0) {
            fail("--messages should be greater than zero");
        }
        if (reportingIntervalMs <= 0) {
            fail("Reporting interval must be greater than 0.");
        }
        if (timeoutMs < 0) {
            fail("--timeout must not be negative");
        }
        try {
            BootstrapServers.parse(bootstrapServer);
            return new SimpleDateFormat(dateFormat);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The config file and --command-property values, then the tool's own settings (which win, as in Kafka's). */
    Properties consumerProperties() {
        Properties props = ClientProperties.merged(consumerConfig,
                ClientProperties.parseKeyValues(spec, "--command-property", commandProperties));
        props.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
        if (group != null) {
            props.setProperty(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        props.setProperty(ConsumerConfig.RECEIVE_BUFFER_CONFIG, Integer.toString(socketBufferSize));
        props.setProperty(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(fetchSize));
        props.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromLatest ? "latest" : "earliest");
        props.setProperty(ConsumerConfig.CHECK_CRCS_CONFIG, "false");
        ClientProperties.putIfAbsent(props, ConsumerConfig.CLIENT_ID_CONFIG, "perf-consumer-client");
        return props;
    }

    private void fail(String message) {
        throw new ParameterException(spec.commandLine(), message);
    }
}
