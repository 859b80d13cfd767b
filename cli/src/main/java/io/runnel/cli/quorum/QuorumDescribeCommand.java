package io.runnel.cli.quorum;

import io.runnel.cli.CliException;
import io.runnel.cli.ErrorHandlers;
import io.runnel.cli.VersionProvider;
import io.runnel.cli.client.BootstrapServers;
import io.runnel.cli.client.BrokerErrors;
import io.runnel.cli.client.ClientFactory;
import io.runnel.cli.client.KafkaLogging;
import java.io.PrintWriter;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.LongSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code runnel metadata-quorum ... describe --status} prints the quorum's summary ({@link QuorumStatusFormat});
 * {@code describe --replication [--human-readable]} its replication table ({@link QuorumReplicationFormat}), as
 * Kafka's tool does. Exactly one of {@code --status} and {@code --replication}, and {@code --human-readable} only
 * with {@code --replication} (Kafka's messages; exit 2 here). Broker errors and timeouts are one line, exit 1.
 */
@Command(
        name = "describe",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "Describe the metadata quorum info.")
public final class QuorumDescribeCommand implements Callable<Integer> {

    @Option(names = "--status", description = "A short summary of the quorum status.")
    boolean status;

    @Option(names = "--replication", description = "Detailed information about the status of replication.")
    boolean replication;

    @Option(names = "--human-readable", description = "With --replication: timestamps as \"<n> ms ago\".")
    boolean humanReadable;

    @ParentCommand
    MetadataQuorumCommand parent;

    @Spec
    CommandSpec spec;

    private final Function<Properties, QuorumAdmin> adminFactory;
    private final LongSupplier clockMs;

    /** The command as {@code bin/runnel} runs it: a real Admin client and the system clock. */
    public QuorumDescribeCommand() {
        this(props -> new AdminQuorumAdmin(ClientFactory.REAL.admin(props)), System::currentTimeMillis);
    }

    /**
     * @param adminFactory opens the {@link QuorumAdmin} for the given Admin client properties (tests pass a fake)
     * @param clockMs      the current time in epoch ms, for {@code --human-readable}
     */
    public QuorumDescribeCommand(Function<Properties, QuorumAdmin> adminFactory, LongSupplier clockMs) {
        this.adminFactory = adminFactory;
        this.clockMs = clockMs;
    }

    /**
     * @return 0 on success
     * @throws ParameterException for a wrong combination of flags (exit 2)
     * @throws CliException for a failure reported by, or reaching, the broker (exit 1)
     */
    @Override
    public Integer call() {
        if (status && replication) {
            throw usage("Only one of --status or --replication should be specified with describe sub-command");
        }
        if (!status && !replication) {
            throw usage("One of --status or --replication must be specified with describe sub-command");
        }
        if (humanReadable && status) {
            throw usage("The option --human-readable is only supported along with --replication");
        }
        BootstrapServers servers = parent.bootstrap();
        Properties props = parent.adminProperties();
        KafkaLogging.configure(ErrorHandlers.isVerbose(spec));
        PrintWriter out = spec.commandLine().getOut();
        List<String> lines;
        try (QuorumAdmin admin = adminFactory.apply(props)) {
            if (status) {
                String clusterId = admin.clusterId();
                lines = QuorumStatusFormat.lines(clusterId, admin.describeQuorum());
            } else {
                lines = QuorumReplicationFormat.lines(admin.describeQuorum(), humanReadable, clockMs.getAsLong());
            }
        } catch (ParameterException | CliException e) {
            throw e;
        } catch (RuntimeException e) {
            throw BrokerErrors.describe(e, servers);
        }
        lines.forEach(out::println);
        out.flush();
        return 0;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
