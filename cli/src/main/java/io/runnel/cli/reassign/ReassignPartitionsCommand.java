package io.runnel.cli.reassign;

import io.runnel.cli.CliException;
import io.runnel.cli.ErrorHandlers;
import io.runnel.cli.VersionProvider;
import io.runnel.cli.client.AdminConnectionOptions;
import io.runnel.cli.client.BootstrapServers;
import io.runnel.cli.client.BrokerErrors;
import io.runnel.cli.client.ClientFactory;
import io.runnel.cli.client.KafkaLogging;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code runnel reassign-partitions}: moves partition replicas between brokers (KIP-455) with the flags and output of
 * Kafka's {@code kafka-reassign-partitions.sh} ({@code --generate}, {@code --execute}, {@code --verify},
 * {@code --cancel}, {@code --list}, {@code --throttle}), plus {@code --add-broker N} and {@code --remove-broker N},
 * which plan the moves themselves (see {@link ReassignmentPlanner}), show them with {@code --dry-run}, and otherwise
 * run them to the end with a progress line. Wrong flags or an unusable JSON file are exit 2 before any connection;
 * a refused or failed reassignment is exit 1.
 */
@Command(
        name = "reassign-partitions",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {"Move partition replicas between brokers (the flags of kafka-reassign-partitions.sh, plus"
            + " --add-broker / --remove-broker).",
            "Examples:",
            "  runnel reassign-partitions --bootstrap-server localhost:9092 --add-broker 4 --dry-run",
            "  runnel reassign-partitions --bootstrap-server localhost:9092 --reassignment-json-file plan.json"
                + " --execute"})
public final class ReassignPartitionsCommand implements Callable<Integer> {

    @Mixin
    AdminConnectionOptions connection;

    @Option(names = "--generate", description = "Print a proposal moving the topics of --topics-to-move-json-file"
            + " onto the brokers of --broker-list (changes nothing).")
    boolean generate;

    @Option(names = "--execute", description = "Start the reassignment of --reassignment-json-file.")
    boolean execute;

    @Option(names = "--verify", description = "Report the state of the reassignment of --reassignment-json-file;"
            + " once it is complete, clear the throttles.")
    boolean verify;

    @Option(names = "--cancel", description = "Cancel the running reassignments of --reassignment-json-file's"
            + " partitions; they go back to their original replicas.")
    boolean cancel;

    @Option(names = "--list", description = "List every running reassignment.")
    boolean list;

    @Option(names = "--add-broker", paramLabel = "ID", description = "Move replicas and preferred leaders onto this"
            + " (registered) broker until it holds its share, with the fewest moves; waits until done.")
    Integer addBroker;

    @Option(names = "--remove-broker", paramLabel = "ID", description = "Move every replica off this broker onto the"
            + " least loaded others; refuses when a partition would fall below its replication factor.")
    Integer removeBroker;

    @Option(names = "--dry-run", description = "With --add-broker/--remove-broker: print the plan as a table and"
            + " change nothing.")
    boolean dryRun;

    @Option(names = "--reassignment-json-file", paramLabel = "FILE", description = "The reassignment:"
            + " {\"version\":1,\"partitions\":[{\"topic\":\"foo\",\"partition\":0,\"replicas\":[1,2]}]}")
    Path reassignmentJsonFile;

    @Option(names = "--topics-to-move-json-file", paramLabel = "FILE",
            description = "With --generate: {\"topics\":[{\"topic\":\"foo\"}],\"version\":1}")
    Path topicsToMoveJsonFile;

    @Option(names = "--broker-list", paramLabel = "IDS", description = "With --generate: the brokers to place"
            + " replicas on, e.g. 1,2,3.")
    String brokerList;

    @Option(names = "--disable-rack-aware", description = "With --generate: ignore broker racks.")
    boolean disableRackAware;

    @Option(names = "--throttle", paramLabel = "BYTES/S", defaultValue = "-1", description = "The inter-broker"
            + " replication rate limit during the move, bytes/s (KIP-73); -1 for none.")
    long throttle;

    @Option(names = "--replica-alter-log-dirs-throttle", paramLabel = "BYTES/S", description = "Not supported:"
            + " Runnel does not move replicas between log directories.")
    Long logDirsThrottle;

    @Option(names = "--timeout", paramLabel = "MS", defaultValue = "10000", description = "How long the controller"
            + " may take to accept the reassignment, ms.")
    int timeoutMs;

    @Option(names = "--additional", description = "With --execute: start although other reassignments are running.")
    boolean additional;

    @Option(names = "--preserve-throttles", description = "With --verify/--cancel: leave the throttles in place.")
    boolean preserveThrottles;

    @Spec
    CommandSpec spec;

    private final Function<Properties, Admin> adminFactory;

    /** The command as {@code bin/runnel} runs it: a real Admin client. */
    public ReassignPartitionsCommand() {
        this(ClientFactory.REAL::admin);
    }

    /** @param adminFactory opens the Admin client for the given properties (tests may pass a mock) */
    public ReassignPartitionsCommand(Function<Properties, Admin> adminFactory) {
        this.adminFactory = adminFactory;
    }

    /**
     * Checks the flags, then runs the one action given.
     *
     * @return 0 on success
     * @throws ParameterException wrong flags or JSON file (exit 2)
     * @throws CliException a refused or failed reassignment, an unknown broker or partition (exit 1)
     */
    @Override
    public Integer call() {
        String action = checkFlags();
        List<Integer> brokers = brokerList == null ? null : brokerIds(brokerList);
        var target = reassignmentJsonFile == null ? null : parse(() -> ReassignmentJson.readReassignment(
                reassignmentJsonFile));
        List<String> topics = topicsToMoveJsonFile == null ? null : parse(() -> ReassignmentJson.readTopics(
                topicsToMoveJsonFile));
        BootstrapServers servers = connection.servers();
        KafkaLogging.configure(ErrorHandlers.isVerbose(spec));
        PrintWriter out = spec.commandLine().getOut();
        try (Admin admin = adminFactory.apply(connection.adminProperties())) {
            ReassignActions actions = new ReassignActions(admin, out, timeoutMs);
            switch (action) {
                case "--generate" -> actions.generate(topics, brokers, !disableRackAware);
                case "--execute" -> actions.execute(target, throttle, additional);
                case "--verify" -> actions.verify(target, preserveThrottles);
                case "--cancel" -> actions.cancel(target, preserveThrottles);
                case "--list" -> actions.list();
                default -> new BrokerMoves(admin, out, actions, System.console() != null)
                        .run(addBroker != null ? addBroker : removeBroker, addBroker != null, dryRun, throttle);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", e);
        } catch (ExecutionException | RuntimeException e) {
            if (e instanceof ParameterException p) {
                throw p;
            }
            throw BrokerErrors.describe(e, servers);
        } finally {
            out.flush();
        }
        return 0;
    }

    /** The one action given; usage errors for none, several, or flags that do not go with it. */
    private String checkFlags() {
        List<String> actions = new ArrayList<>();
        String[] names = {"--generate", "--execute", "--verify", "--cancel", "--list", "--add-broker",
            "--remove-broker"};
        boolean[] given = {generate, execute, verify, cancel, list, addBroker != null, removeBroker != null};
        for (int i = 0; i < names.length; i++) {
            if (given[i]) {
                actions.add(names[i]);
            }
        }
        if (actions.size() != 1) {
            throw usage("Command must include exactly one action: --generate, --execute, --verify, --cancel, --list,"
                    + " --add-broker or --remove-broker" + (actions.isEmpty() ? "" : " (given: "
                    + String.join(", ", actions) + ")"));
        }
        String action = actions.get(0);
        if (logDirsThrottle != null) {
            throw usage("--replica-alter-log-dirs-throttle is not supported: Runnel does not move replicas between"
                    + " log directories");
        }
        boolean fileAction = execute || verify || cancel;
        if (fileAction && reassignmentJsonFile == null) {
            throw usage("Missing required argument \"[reassignment-json-file]\" for " + action);
        }
        only(reassignmentJsonFile != null, fileAction, "--reassignment-json-file", "--execute, --verify or --cancel");
        if (generate && (topicsToMoveJsonFile == null || brokerList == null)) {
            throw usage("--generate needs --topics-to-move-json-file and --broker-list");
        }
        only(topicsToMoveJsonFile != null, generate, "--topics-to-move-json-file", "--generate");
        only(brokerList != null, generate, "--broker-list", "--generate");
        only(disableRackAware, generate, "--disable-rack-aware", "--generate");
        boolean moves = addBroker != null || removeBroker != null;
        only(throttle != -1, execute || moves, "--throttle", "--execute, --add-broker or --remove-broker");
        if (throttle < -1) {
            throw usage("--throttle must be -1 (none) or at least 0 bytes/s, not " + throttle);
        }
        only(dryRun, moves, "--dry-run", "--add-broker or --remove-broker");
        only(additional, execute, "--additional", "--execute");
        only(preserveThrottles, verify || cancel, "--preserve-throttles", "--verify or --cancel");
        if (timeoutMs <= 0) {
            throw usage("--timeout must be positive (ms), not " + timeoutMs);
        }
        return action;
    }

    private void only(boolean present, boolean allowed, String flag, String with) {
        if (present && !allowed) {
            throw usage(flag + " goes only with " + with);
        }
    }

    private List<Integer> brokerIds(String text) {
        LinkedHashSet<Integer> ids = new LinkedHashSet<>();
        for (String part : text.split(",")) {
            try {
                int id = Integer.parseInt(part.trim());
                if (id < 0 || !ids.add(id)) {
                    throw usage("--broker-list " + text + ": broker id " + id + (id < 0 ? " is negative"
                            : " is listed twice"));
                }
            } catch (NumberFormatException e) {
                throw usage("--broker-list must be broker ids separated by commas, e.g. 1,2,3, not '" + text + "'");
            }
        }
        return List.copyOf(ids);
    }

    private <T> T parse(java.util.function.Supplier<T> reader) {
        try {
            return reader.get();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
