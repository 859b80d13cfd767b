package io.runnel.cli.console;

import io.runnel.cli.CliException;
import io.runnel.cli.ErrorHandlers;
import io.runnel.cli.VersionProvider;
import io.runnel.cli.client.BootstrapServers;
import io.runnel.cli.client.BrokerErrors;
import io.runnel.cli.client.ClientFactory;
import io.runnel.cli.client.ClientProperties;
import io.runnel.cli.client.KafkaLogging;
import io.runnel.cli.client.TopicLookup;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code runnel console-consumer --bootstrap-server HOST:PORT --topic T}: prints a topic's records to stdout with
 * the flags and formatting of Kafka's {@code kafka-console-consumer.sh} (see {@link RecordFormatter}). With
 * {@code --group} it reads as a member of that consumer group; without one it assigns itself every partition of the
 * topic (or the {@code --partition} given) and needs no group at all. At the end it prints
 * {@code Processed a total of N messages} to stderr. SIGINT/SIGTERM end it cleanly.
 */
@Command(
        name = "console-consumer",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "Read records from a topic and print them to standard output (like kafka-console-consumer.sh).")
public final class ConsoleConsumerCommand implements Callable<Integer> {

    private static final long SHUTDOWN_WAIT_MS = 10_000;

    @Option(names = "--bootstrap-server", required = true, paramLabel = "HOST:PORT",
            description = "The broker(s) to connect to, e.g. localhost:9092.")
    String bootstrapServer;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic to consume from.")
    String topic;

    @Option(names = "--group", paramLabel = "GROUP", description = "Consume as a member of this consumer group. "
            + "Without it, all partitions are assigned directly and no group is used.")
    String group;

    @Option(names = "--partition", paramLabel = "N", description = "Read only this partition; from the end unless "
            + "--offset or --from-beginning is given.")
    Integer partition;

    @Option(names = "--offset", paramLabel = "OFFSET", description = "With --partition: earliest, latest or a "
            + "non-negative offset to start from (default: latest).")
    String offset;

    @Option(names = "--from-beginning", description = "Start with the earliest record instead of the latest, "
            + "unless the group has committed offsets.")
    boolean fromBeginning;

    @Option(names = "--max-messages", paramLabel = "N", description = "Exit after printing N records.")
    Integer maxMessages;

    @Option(names = "--timeout-ms", paramLabel = "MS", description = "Exit when no record arrived for this long, ms.")
    Long timeoutMs;

    @Option(names = {"--property", "--formatter-property"}, paramLabel = "KEY=VALUE", description = "A formatter "
            + "property (repeatable): print.timestamp, print.key, print.partition, print.offset, print.headers, "
            + "print.value, key.separator, line.separator, headers.separator, null.literal.")
    List<String> formatterProperties;

    @Option(names = "--formatter-config", paramLabel = "FILE", description = "Properties file of formatter "
            + "properties; --property takes precedence.")
    Path formatterConfig;

    @Option(names = {"--consumer-property", "--command-property"}, paramLabel = "KEY=VALUE",
            description = "A consumer config (repeatable), e.g. --consumer-property fetch.min.bytes=1.")
    List<String> consumerProperties;

    @Option(names = {"--consumer.config", "--command-config"}, paramLabel = "FILE",
            description = "Properties file of consumer configs; --consumer-property takes precedence.")
    Path consumerConfig;

    @Option(names = "--isolation-level", paramLabel = "LEVEL", description = "read_committed or read_uncommitted "
            + "(default: read_uncommitted).")
    String isolationLevel;

    @Spec
    CommandSpec spec;

    private final ClientFactory clients;
    private final PrintStream out;

    /** The command as {@code bin/runnel} runs it: a real consumer printing to {@code System.out}. */
    public ConsoleConsumerCommand() {
        this(ClientFactory.REAL, System.out);
    }

    /**
     * @param clients creates the consumer (tests pass one returning a {@code MockConsumer})
     * @param out where records are printed
     */
    public ConsoleConsumerCommand(ClientFactory clients, PrintStream out) {
        this.clients = clients;
        this.out = out;
    }

    /**
     * @return 0 when reading ended normally (max messages, timeout, signal)
     * @throws ParameterException for bad flags (exit 2)
     * @throws CliException for an unreachable broker, an unknown topic or partition, or a consumer failure (exit 1)
     */
    @Override
    public Integer call() {
        ConsumerSettings settings = new ConsumerSettings(this);
        Properties props = settings.consumerProperties();
        RecordFormatter formatter = new RecordFormatter(formatterProperties());
        BootstrapServers servers = settings.bootstrap();
        KafkaLogging.configure(ErrorHandlers.isVerbose(spec));
        Consumer<byte[], byte[]> consumer;
        try {
            consumer = clients.consumer(props);
        } catch (RuntimeException e) {
            throw BrokerErrors.describe(e, servers);
        }
        List<TopicPartition> partitions;
        try {
            partitions = partitionsToRead(TopicLookup.partitions(consumer, props, topic));
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw BrokerErrors.describe(e, servers);
        }
        PrintWriter err = spec.commandLine().getErr();
        ConsumeSession session = new ConsumeSession(consumer, formatter, out, err,
                maxMessages == null ? -1 : maxMessages, timeoutMs == null ? -1 : timeoutMs);
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            session.wakeup();
            awaitQuietly(done);
        }, "console-consumer-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            position(session, partitions, settings);
            session.run();
        } catch (RuntimeException e) {
            throw BrokerErrors.describe(e, servers);
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } finally {
                out.flush();
                err.println("Processed a total of " + session.count() + " messages");
                err.flush();
                done.countDown();
                removeHook(hook);
            }
        }
        return 0;
    }

    /** Every partition of the topic (sorted), or just --partition; fails for an unknown topic or partition. */
    private List<TopicPartition> partitionsToRead(List<PartitionInfo> infos) {
        if (infos == null || infos.isEmpty()) {
            throw new CliException("Topic '" + topic + "' does not exist");
        }
        List<TopicPartition> all = infos.stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition))
                .collect(Collectors.toList());
        if (partition == null) {
            return all;
        }
        TopicPartition chosen = new TopicPartition(topic, partition);
        if (!all.contains(chosen)) {
            throw new CliException("Partition " + partition + " of topic '" + topic + "' does not exist (the topic "
                    + "has " + all.size() + " partitions)");
        }
        return List.of(chosen);
    }

    private void position(ConsumeSession session, List<TopicPartition> partitions, ConsumerSettings settings) {
        if (settings.usesGroup()) {
            session.subscribe(topic);
        } else if (partition == null) {
            session.assign(partitions, fromBeginning ? StartOffset.EARLIEST : StartOffset.LATEST);
        } else {
            session.assign(partitions, settings.startOffset());
        }
    }

    private Map<String, String> formatterProperties() {
        Map<String, String> props = new HashMap<>();
        ClientProperties.load(formatterConfig).forEach((k, v) -> props.put((String) k, (String) v));
        ClientProperties.parseKeyValues(spec, "--property", formatterProperties)
                .forEach((k, v) -> props.put((String) k, (String) v));
        return props;
    }

    private static void awaitQuietly(CountDownLatch done) {
        try {
            done.await(SHUTDOWN_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting because of SIGINT/SIGTERM; the hook is what ended the loop
        }
    }
}
