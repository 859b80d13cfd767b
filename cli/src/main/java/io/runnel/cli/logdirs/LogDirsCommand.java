package io.runnel.cli.logdirs;

import io.runnel.cli.CliException;
import io.runnel.cli.ErrorHandlers;
import io.runnel.cli.VersionProvider;
import io.runnel.cli.client.BootstrapServers;
import io.runnel.cli.client.BrokerErrors;
import io.runnel.cli.client.AdminConnectionOptions;
import io.runnel.cli.client.ClientFactory;
import io.runnel.cli.client.KafkaLogging;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.common.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code runnel log-dirs --bootstrap-server HOST:PORT --describe [--broker-list 1,2] [--topic-list a,b]}: every log
 * directory of the brokers (DescribeLogDirs, KIP-113) with the replicas it holds, their size in bytes and offset lag,
 * with the flags and output of Kafka's {@code kafka-log-dirs.sh}: {@code Querying brokers for log directories
 * information}, {@code Received log directory information from brokers 1,2,3}, then the JSON document of
 * {@link LogDirsJson}. No {@code --broker-list}: every broker of the cluster; no {@code --topic-list}: every topic.
 * A listed broker the cluster does not have is exit 1 ({@code ERROR: The given brokers do not exist from
 * --broker-list: 5. Current existent brokers: 1,2,3}); wrong flags are exit 2 before any connection.
 */
@Command(
        name = "log-dirs",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "Describe the brokers' log directories and the replicas in them (the flags of kafka-log-dirs.sh).")
public final class LogDirsCommand implements Callable<Integer> {

    @Mixin
    AdminConnectionOptions connection;

    @Option(names = "--describe", required = true,
            description = "Describe the log directories on the brokers (the only action; required, as in Kafka).")
    boolean describe;

    @Option(names = "--broker-list", paramLabel = "IDS", description = "The brokers to query, e.g. 0,1,2 "
            + "(default: every broker of the cluster).")
    String brokerList = "";

    @Option(names = "--topic-list", paramLabel = "TOPICS", description = "The topics to show, e.g. t1,t2 "
            + "(default: every topic).")
    String topicList = "";

    @Spec
    CommandSpec spec;

    private final Function<Properties, Admin> adminFactory;

    /** The command as {@code bin/runnel} runs it: a real Admin client. */
    public LogDirsCommand() {
        this(ClientFactory.REAL::admin);
    }

    /** @param adminFactory opens the Admin client for the given properties (tests may pass a mock) */
    public LogDirsCommand(Function<Properties, Admin> adminFactory) {
        this.adminFactory = adminFactory;
    }

    /**
     * Checks the flags, asks the brokers, prints Kafka's lines and JSON.
     *
     * @return 0 on success
     * @throws ParameterException wrong flags (exit 2)
     * @throws CliException an unknown broker or a broker failure (exit 1)
     */
    @Override
    public Integer call() {
        Set<Integer> brokers = brokers();
        Set<String> topics = splitAtCommas(topicList);
        BootstrapServers servers = connection.servers();
        KafkaLogging.configure(ErrorHandlers.isVerbose(spec));
        PrintWriter out = spec.commandLine().getOut();
        try (Admin admin = adminFactory.apply(connection.adminProperties())) {
            Set<Integer> cluster = admin.describeCluster().nodes().get().stream().map(Node::id)
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<Integer> missing = new TreeSet<>(brokers);
            missing.removeAll(cluster);
            if (!missing.isEmpty()) {
                throw new CliException("ERROR: The given brokers do not exist from --broker-list: " + join(missing)
                        + ". Current existent brokers: " + join(cluster));
            }
            Set<Integer> queried = brokers.isEmpty() ? cluster : brokers;
            out.println("Querying brokers for log directories information");
            out.flush();
            Map<Integer, Map<String, LogDirDescription>> dirs = admin.describeLogDirs(queried).allDescriptions()
                    .get();
            out.println("Received log directory information from brokers " + join(queried));
            out.println(LogDirsJson.format(dirs, topics));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", e);
        } catch (ParameterException | CliException e) {
            throw e;
        } catch (Exception e) {
            throw BrokerErrors.describe(e, servers);
        } finally {
            out.flush();
        }
        return 0;
    }

    private static String join(Set<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static Set<String> splitAtCommas(String list) {
        Set<String> out = new TreeSet<>();
        for (String s : list.split(",")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    private Set<Integer> brokers() {
        Set<Integer> out = new TreeSet<>();
        for (String s : splitAtCommas(brokerList)) {
            try {
                out.add(Integer.parseInt(s.trim()));
            } catch (NumberFormatException e) {
                throw usage("--broker-list takes broker ids separated by commas, e.g. 1,2,3; not '" + brokerList + "'");
            }
        }
        return out;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
