package io.runnel.cli.groups;

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
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code runnel consumer-groups --bootstrap-server HOST:PORT (--list|--describe|--delete|--reset-offsets|
 * --delete-offsets) ...}: the flags and output of Kafka's {@code kafka-consumer-groups.sh}, plus a total-lag line per
 * topic under {@code --describe} and {@code --output json} for {@code --list} and {@code --describe}. Flag
 * combinations are checked before any connection is made (exit 2); broker errors are one line (exit 1); describing a
 * group that does not exist says so and exits 1. {@code --verbose} shows more columns, as Kafka's does, and on
 * failure the stack trace.
 */
@Command(
        name = "consumer-groups",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "List all consumer groups, describe a consumer group, delete consumer group info, or reset "
                + "consumer group offsets (the flags of kafka-consumer-groups.sh).")
public final class ConsumerGroupsCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-server", required = true, paramLabel = "HOST:PORT",
            description = "The broker(s) to connect to, e.g. localhost:9092.")
    String bootstrapServer;

    @Option(names = "--command-config", paramLabel = "FILE",
            description = "Properties file of Admin client configs (security settings, timeouts).")
    Path commandConfig;

    @Option(names = "--list", description = "List all consumer groups.")
    boolean list;

    @Option(names = "--describe", description = "Describe consumer groups and list the offset lag (number of "
            + "messages not yet processed) of each partition.")
    boolean describe;

    @Option(names = "--delete", description = "Delete groups (with --group or --all-groups), with their committed "
            + "offsets. Only groups without active members can be deleted.")
    boolean delete;

    @Option(names = "--reset-offsets", description = "Reset the committed offsets of inactive groups: one scenario "
            + "(--to-earliest, --to-latest, --to-current, --to-offset, --shift-by, --to-datetime, --by-duration) over "
            + "--topic or --all-topics; --dry-run (the default) shows the plan, --execute commits it.")
    boolean resetOffsets;

    @Option(names = "--delete-offsets", description = "Delete the committed offsets of one group for the --topic "
            + "values given.")
    boolean deleteOffsets;

    @Option(names = "--group", paramLabel = "GROUP", description = "The consumer group to act on (repeatable).")
    List<String> groups;

    @Option(names = "--all-groups", description = "Apply to all consumer groups.")
    boolean allGroups;

    @Option(names = "--topic", paramLabel = "TOPIC[:P,...]", description = "With --reset-offsets or "
            + "--delete-offsets: a topic, or some of its partitions as topic:0,1,2 (repeatable).")
    List<String> topics;

    @Option(names = "--all-topics", description = "With --reset-offsets: every topic the group has offsets for.")
    boolean allTopics;

    @Option(names = "--offsets", description = "With --describe: the partitions with their offsets and lag (the "
            + "default).")
    boolean offsets;

    @Option(names = "--members", description = "With --describe: the members of the group.")
    boolean members;

    @Option(names = "--state", arity = "0..1", fallbackValue = "", paramLabel = "STATES",
            description = "With --describe: the state of the group. With --list: show each group's state, or only "
                    + "groups in the given comma-separated states (e.g. stable,empty).")
    String state;

    @Option(names = "--type", arity = "0..1", fallbackValue = "", paramLabel = "TYPES",
            description = "With --list: show each group's type, or only groups of the given types "
                    + "(classic,consumer).")
    String type;

    @Option(names = "--timeout", paramLabel = "MS", defaultValue = "5000",
            description = "How long each broker call may take, in milliseconds (default: ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Option(names = "--dry-run", description = "With --reset-offsets: only show the new offsets (the default).")
    boolean dryRun;

    @Option(names = "--execute", description = "With --reset-offsets: commit the new offsets.")
    boolean execute;

    @Option(names = "--to-earliest", description = "Reset to the earliest offset.")
    boolean toEarliest;

    @Option(names = "--to-latest", description = "Reset to the latest offset.")
    boolean toLatest;

    @Option(names = "--to-current", description = "Reset to the current committed offset (latest without one).")
    boolean toCurrent;

    @Option(names = "--to-offset", paramLabel = "OFFSET", description = "Reset to this offset (kept within the "
            + "partition's range).")
    Long toOffset;

    @Option(names = "--shift-by", paramLabel = "N", description = "Move the committed offset by N (negative: back).")
    Long shiftBy;

    @Option(names = "--to-datetime", paramLabel = "DATETIME", description = "Reset to the first offset at or after "
            + "this time: 'YYYY-MM-DDTHH:mm:SS.sss', optionally with a zone (Z, +01:00); local time otherwise.")
    String toDatetime;

    @Option(names = "--by-duration", paramLabel = "DURATION", description = "Reset to the first offset at or after "
            + "now minus this duration: 'PnDTnHnMnS'.")
    String byDuration;

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
            description = "With --list or --describe: text (Kafka's tables, the default) or json.")
    String output;

    @Spec
    CommandSpec spec;

    private final BiFunction<Properties, Integer, GroupAdmin> adminFactory;

    /** The command as {@code bin/runnel} runs it: a real Admin client. */
    public ConsumerGroupsCommand() {
        this((props, timeout) -> new AdminGroupAdmin(ClientFactory.REAL.admin(props), timeout));
    }

    /**
     * @param adminFactory opens the {@link GroupAdmin} for the given Admin client properties and {@code --timeout}
     *     (tests pass a fake)
     */
    public ConsumerGroupsCommand(BiFunction<Properties, Integer, GroupAdmin> adminFactory) {
        this.adminFactory = adminFactory;
    }

    /**
     * Checks the flags, connects, runs the one action and prints its output.
     *
     * @return 0 on success
     * @throws ParameterException for a wrong combination of flags (exit 2)
     * @throws CliException for a failure reported by, or reaching, the broker, or an unknown group (exit 1)
     */
    @Override
    public Integer call() {
        GroupsArgs args = new GroupsArgs(this);
        args.check();
        BootstrapServers servers = bootstrap();
        KafkaLogging.configure(ErrorHandlers.isVerbose(spec));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (resetOffsets && !dryRun && !execute) {
            err.println("WARN: No action will be performed as the --execute option is missing. In a future major "
                    + "release, the default behavior of this command will be to prompt the user before executing "
                    + "the reset rather than doing a dry run. You should add the --dry-run option explicitly if you "
                    + "are scripting this command and want to keep the current default behavior without prompting.");
        }
        try (GroupAdmin admin = adminFactory.apply(adminProperties(), (int) timeoutMs)) {
            GroupActions actions = new GroupActions(admin, out, err, "json".equals(output),
                    ErrorHandlers.isVerbose(spec));
            if (list) {
                actions.list(state != null, type != null, args.listStates(), args.listTypes());
            } else if (describe) {
                actions.describe(groups, allGroups, members ? "members" : state != null ? "state" : "offsets");
            } else if (delete) {
                actions.delete(groups, allGroups);
            } else if (resetOffsets) {
                actions.reset(groups, allGroups, args.topicScopes(), allTopics, args.resetSpec(), execute);
            } else {
                actions.deleteOffsets(groups.get(0), args.topicScopes());
            }
        } catch (ParameterException | CliException e) {
            throw e;
        } catch (RuntimeException e) {
            throw BrokerErrors.describe(e, servers);
        } finally {
            out.flush();
            err.flush();
        }
        return 0;
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
}
