package io.runnel.cli.leaders;

import io.runnel.cli.CliException;
import io.runnel.cli.ErrorHandlers;
import io.runnel.cli.VersionProvider;
import io.runnel.cli.client.BootstrapServers;
import io.runnel.cli.client.BrokerErrors;
import io.runnel.cli.client.AdminConnectionOptions;
import io.runnel.cli.client.ClientFactory;
import io.runnel.cli.client.KafkaLogging;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.apache.kafka.common.errors.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code runnel leader-election --bootstrap-server HOST:PORT --election-type PREFERRED|UNCLEAN (--topic T --partition
 * P | --all-topic-partitions | --path-to-json-file FILE)}: ElectLeaders (KIP-183 preferred, KIP-460 unclean) with the
 * flags and output of Kafka's {@code kafka-leader-election.sh}. The election type is case-insensitive. Output, each
 * line only when it has partitions (listed by topic, then partition): {@code Successfully completed leader election
 * (PREFERRED) for partitions t-0, t-1}, {@code Valid replica already elected for partitions t-2} (ELECTION_NOT_NEEDED),
 * and per failed partition {@code Error completing leader election (PREFERRED) for partition: t-3: <exception>}.
 * Exit 0 when no partition failed; 1 when one did ({@code N replica(s) could not be elected}) or the call failed;
 * 2 for wrong flags or an unusable JSON file, before any connection.
 */
@Command(
        name = "leader-election",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "Elect preferred or unclean partition leaders (the flags of kafka-leader-election.sh).")
public final class LeaderElectionCommand implements Callable<Integer> {

    @Mixin
    AdminConnectionOptions connection;

    @Option(names = "--election-type", required = true, paramLabel = "TYPE",
            description = "PREFERRED: make the first replica the leader where it is alive and in sync, if it does not "
                    + "lead already; UNCLEAN: give partitions without a leader one, even out of sync "
                    + "(case-insensitive).")
    String electionType;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "The topic of the one partition to elect for "
            + "(with --partition). Not with --all-topic-partitions or --path-to-json-file.")
    String topic;

    @Option(names = "--partition", paramLabel = "N", description = "With --topic: the partition.")
    Integer partition;

    @Option(names = "--all-topic-partitions", description = "Elect for every partition of every topic. Not with "
            + "--topic or --path-to-json-file.")
    boolean allTopicPartitions;

    @Option(names = "--path-to-json-file", paramLabel = "FILE", description = "JSON with the partitions: "
            + "{\"partitions\":[{\"topic\":\"foo\",\"partition\":1},{\"topic\":\"foobar\",\"partition\":2}]}. "
            + "Not with --topic or --all-topic-partitions.")
    Path pathToJsonFile;

    @Spec
    CommandSpec spec;

    private final Function<Properties, Admin> adminFactory;

    /** The command as {@code bin/runnel} runs it: a real Admin client. */
    public LeaderElectionCommand() {
        this(ClientFactory.REAL::admin);
    }

    /** @param adminFactory opens the Admin client for the given properties (tests may pass a mock) */
    public LeaderElectionCommand(Function<Properties, Admin> adminFactory) {
        this.adminFactory = adminFactory;
    }

    /**
     * Checks the flags, elects, prints Kafka's lines.
     *
     * @return 0 when no partition failed
     * @throws ParameterException wrong flags or JSON file (exit 2)
     * @throws CliException a failed partition or a broker failure (exit 1)
     */
    @Override
    public Integer call() {
        ElectionType type = electionType();
        Set<TopicPartition> partitions = partitions();
        BootstrapServers servers = connection.servers();
        KafkaLogging.configure(ErrorHandlers.isVerbose(spec));
        PrintWriter out = spec.commandLine().getOut();
        Map<TopicPartition, Optional<Throwable>> results;
        try (Admin admin = adminFactory.apply(connection.adminProperties())) {
            results = admin.electLeaders(type, partitions).partitions().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException) {
                out.println("Timeout waiting for election results");
                out.flush();
            }
            throw BrokerErrors.describe(e, servers);
        } catch (ParameterException | CliException e) {
            throw e;
        } catch (RuntimeException e) {
            throw BrokerErrors.describe(e, servers);
        }
        return report(type, results, out);
    }

    private static int report(ElectionType type, Map<TopicPartition, Optional<Throwable>> results, PrintWriter out) {
        Comparator<TopicPartition> order = Comparator.comparing(TopicPartition::topic)
                .thenComparingInt(TopicPartition::partition);
        Map<TopicPartition, Optional<Throwable>> sorted = new TreeMap<>(order);
        sorted.putAll(results);
        List<TopicPartition> succeeded = new ArrayList<>();
        List<TopicPartition> noop = new ArrayList<>();
        Map<TopicPartition, Throwable> failed = new TreeMap<>(order);
        sorted.forEach((tp, error) -> {
            if (error.isEmpty()) {
                succeeded.add(tp);
            } else if (error.get() instanceof ElectionNotNeededException) {
                noop.add(tp);
            } else {
                failed.put(tp, error.get());
            }
        });
        if (!succeeded.isEmpty()) {
            out.println("Successfully completed leader election (" + type + ") for partitions " + join(succeeded));
        }
        if (!noop.isEmpty()) {
            out.println("Valid replica already elected for partitions " + join(noop));
        }
        failed.forEach((tp, error) -> out.println("Error completing leader election (" + type + ") for partition: "
                + tp + ": " + error));
        out.flush();
        if (!failed.isEmpty()) {
            throw new CliException(failed.size() + " replica(s) could not be elected");
        }
        return 0;
    }

    private static String join(List<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::toString).collect(Collectors.joining(", "));
    }

    private ElectionType electionType() {
        return switch (electionType.toUpperCase(Locale.ROOT)) {
            case "PREFERRED" -> ElectionType.PREFERRED;
            case "UNCLEAN" -> ElectionType.UNCLEAN;
            default -> throw usage("--election-type must be PREFERRED or UNCLEAN, not '" + electionType + "'");
        };
    }

    /** The partitions to elect for; null for every partition. Usage errors as exit 2. */
    private Set<TopicPartition> partitions() {
        int modes = (topic != null ? 1 : 0) + (allTopicPartitions ? 1 : 0) + (pathToJsonFile != null ? 1 : 0);
        if (modes != 1) {
            throw usage("One and only one of the following options is required: --topic, --all-topic-partitions, "
                    + "--path-to-json-file");
        }
        if (topic != null && partition == null) {
            throw usage("Missing required option(s): --partition");
        }
        if (topic == null && partition != null) {
            throw usage("Option --partition is only allowed if --topic is used");
        }
        if (topic != null) {
            if (topic.isEmpty()) {
                throw usage("--topic must not be empty");
            }
            if (partition < 0) {
                throw usage("--partition must be at least 0, not " + partition);
            }
            return Set.of(new TopicPartition(topic, partition));
        }
        if (pathToJsonFile != null) {
            try {
                return ElectionJsonFile.read(pathToJsonFile);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }
        return null;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
