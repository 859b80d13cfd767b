package io.runnel.cli.topics;

import io.runnel.cli.CliException;
import io.runnel.cli.ErrorHandlers;
import io.runnel.cli.VersionProvider;
import io.runnel.cli.client.BootstrapServers;
import io.runnel.cli.client.BrokerErrors;
import io.runnel.cli.client.ClientDefaults;
import io.runnel.cli.client.ClientFactory;
import io.runnel.cli.client.KafkaLogging;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.internals.Topic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code runnel topics --bootstrap-server HOST:PORT (--create|--list|--describe|--alter|--delete) ...}: manages
 * topics with the flags and output of Kafka's {@code kafka-topics.sh}. Flag combinations are checked before any
 * connection is made (exit 2); broker errors are one line with Kafka's message (exit 1).
 */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "Create, delete, describe, or change a topic (the flags of kafka-topics.sh).")
public final class TopicsCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-server", required = true, paramLabel = "HOST:PORT",
            description = "The broker(s) to connect to, e.g. localhost:9092.")
    String bootstrapServer;

    @Option(names = "--command-config", paramLabel = "FILE",
            description = "Properties file of Admin client configs (security settings, timeouts).")
    Path commandConfig;

    @Option(names = "--create", description = "Create a new topic.")
    boolean create;

    @Option(names = "--list", description = "List all available topics.")
    boolean list;

    @Option(names = "--describe", description = "List details for the given topics.")
    boolean describe;

    @Option(names = "--alter", description = "Increase the number of partitions (--partitions) and/or set configs "
            + "(--config) of the given topics.")
    boolean alter;

    @Option(names = "--delete", description = "Delete a topic.")
    boolean delete;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "The topic to create, alter, describe or delete. "
            + "A regular expression except with --create.")
    String topic;

    @Option(names = "--partitions", paramLabel = "N", description = "The number of partitions of the topic being "
            + "created or altered; the broker default (num.partitions) if not given with --create.")
    Integer partitions;

    @Option(names = "--replication-factor", paramLabel = "N", description = "The replication factor of each "
            + "partition of the topic being created; the broker default if not given.")
    Integer replicationFactor;

    @Option(names = "--replica-assignment", paramLabel = "B1:B2,B1:B2,...", description = "Manual replica "
            + "placement: each partition's broker ids (preferred leader first) separated by ':', partitions separated "
            + "by ','. With --create instead of --partitions and --replication-factor; with --alter --partitions, "
            + "listing every partition (the existing ones' entries are skipped).")
    String replicaAssignment;

    @Option(names = "--config", paramLabel = "NAME=VALUE", description = "A topic config override (repeatable), "
            + "e.g. --config retention.ms=86400000. With --create or --alter.")
    List<String> configs;

    @Option(names = "--if-exists", description = "With --alter, --delete or --describe: do nothing, without error, "
            + "when no topic matches.")
    boolean ifExists;

    @Option(names = "--if-not-exists", description = "With --create: do not fail when the topic already exists.")
    boolean ifNotExists;

    @Option(names = "--under-replicated-partitions", description = "With --describe: only show under-replicated "
            + "partitions.")
    boolean underReplicated;

    @Option(names = "--unavailable-partitions", description = "With --describe: only show partitions whose leader is "
            + "not available.")
    boolean unavailable;

    @Option(names = "--under-min-isr-partitions", description = "With --describe: only show partitions whose ISR "
            + "count is less than min.insync.replicas.")
    boolean underMinIsr;

    @Option(names = "--at-min-isr-partitions", description = "With --describe: only show partitions whose ISR count "
            + "equals min.insync.replicas.")
    boolean atMinIsr;

    @Option(names = "--topics-with-overrides", description = "With --describe: only show topics that have "
            + "overridden configs.")
    boolean withOverrides;

    @Option(names = "--exclude-internal", description = "With --list or --describe: leave out internal topics.")
    boolean excludeInternal;

    @Spec
    CommandSpec spec;

    private final Function<Properties, TopicAdmin> adminFactory;

    /** The command as {@code bin/runnel} runs it: a real Admin client. */
    public TopicsCommand() {
        this(props -> new AdminTopicAdmin(ClientFactory.REAL.admin(props)));
    }

    /** @param adminFactory opens the {@link TopicAdmin} for the given Admin client properties (tests pass a fake) */
    public TopicsCommand(Function<Properties, TopicAdmin> adminFactory) {
        this.adminFactory = adminFactory;
    }

    /**
     * Checks the flags, connects, runs the one action and prints its output.
     *
     * @return 0 on success
     * @throws ParameterException for a wrong combination of flags (exit 2)
     * @throws CliException for a failure reported by, or reaching, the broker (exit 1)
     */
    @Override
    public Integer call() {
        new TopicsArgs(this).check();
        Map<String, String> topicConfigs = parseConfigs();
        BootstrapServers servers = bootstrap();
        KafkaLogging.configure(ErrorHandlers.isVerbose(spec));
        PrintWriter out = spec.commandLine().getOut();
        try (TopicAdmin admin = adminFactory.apply(adminProperties())) {
            TopicActions actions = new TopicActions(admin, out, excludeInternal);
            if (create) {
                createTopic(admin, out, topicConfigs);
            } else if (list) {
                actions.list(topic);
            } else if (describe) {
                actions.describe(topic, ifExists, new TopicDescriber(underReplicated, unavailable, underMinIsr,
                        atMinIsr, withOverrides));
            } else if (alter) {
                actions.alter(topic, ifExists, Optional.ofNullable(partitions), assignment(), topicConfigs);
            } else {
                actions.delete(topic, ifExists);
            }
        } catch (ParameterException | CliException e) {
            throw e;
        } catch (RuntimeException e) {
            throw BrokerErrors.describe(e, servers);
        } finally {
            out.flush();
        }
        return 0;
    }

    private void createTopic(TopicAdmin admin, PrintWriter out, Map<String, String> topicConfigs) {
        if (Topic.hasCollisionChars(topic)) {
            out.println("WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') "
                    + "could collide. To avoid issues it is best to use either, but not both.");
        }
        NewTopic newTopic = replicaAssignment != null ? new NewTopic(topic, assignment().get().byPartition())
                : new NewTopic(topic, Optional.ofNullable(partitions),
                        Optional.ofNullable(replicationFactor).map(Integer::shortValue));
        newTopic.configs(topicConfigs);
        try {
            admin.createTopic(newTopic);
        } catch (TopicExistsException e) {
            if (ifNotExists) {
                return;
            }
            throw e;
        }
        out.println("Created topic " + topic + ".");
    }

    /** The parsed {@code --replica-assignment} ({@link TopicsArgs} has checked it), if given. */
    private Optional<ReplicaAssignment> assignment() {
        return Optional.ofNullable(replicaAssignment).map(ReplicaAssignment::parse);
    }

    /** Admin properties: see {@link ClientDefaults#admin}. */
    private Properties adminProperties() {
        return ClientDefaults.admin(commandConfig, bootstrapServer);
    }

    private BootstrapServers bootstrap() {
        try {
            return BootstrapServers.parse(bootstrapServer);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private Map<String, String> parseConfigs() {
        try {
            return parseConfigs(configs);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /**
     * Parses {@code --config} values as Kafka's tool does: each must be exactly {@code name=value} (blanks around
     * {@code =} ignored, neither side empty).
     *
     * @param values the {@code --config} values, or null
     * @return the configs in the order given
     * @throws IllegalArgumentException for a value not of that form
     */
    static Map<String, String> parseConfigs(List<String> values) {
        Map<String, String> parsed = new LinkedHashMap<>();
        if (values == null) {
            return parsed;
        }
        for (String value : values) {
            String[] parts = value.split("\\s*=\\s*");
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new IllegalArgumentException("Invalid topic config '" + value
                        + "': all configs must be in the format \"key=val\".");
            }
            parsed.put(parts[0].trim(), parts[1].trim());
        }
        return parsed;
    }
}
