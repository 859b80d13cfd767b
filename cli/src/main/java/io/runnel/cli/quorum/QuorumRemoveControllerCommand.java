package io.runnel.cli.quorum;

import io.runnel.cli.CliException;
import io.runnel.cli.ErrorHandlers;
import io.runnel.cli.VersionProvider;
import io.runnel.cli.client.BootstrapServers;
import io.runnel.cli.client.BrokerErrors;
import io.runnel.cli.client.ClientFactory;
import io.runnel.cli.client.KafkaLogging;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code runnel metadata-quorum --bootstrap-server HOST:PORT remove-controller --controller-id N
 * [--controller-directory-id ID]}: Kafka's subcommand (KIP-853), sending RemoveRaftVoter (key 81) through the broker
 * to the active controller. Runnel's controllers have no directory ids (DescribeQuorum reports the zero id), so
 * {@code --controller-directory-id} is optional and only {@code AAAAAAAAAAAAAAAAAAAAAA} is accepted (anything else:
 * usage error, exit 2). Prints {@code Removed KRaft controller N with directory id AAAAAAAAAAAAAAAAAAAAAA}. The
 * broker's refusals (VOTER_NOT_FOUND, INVALID_REQUEST for the last voter or a change that would leave no live
 * majority, REQUEST_TIMED_OUT while another change runs) are one line, exit 1.
 */
@Command(
        name = "remove-controller",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "Remove a controller from the KRaft controller cluster.")
public final class QuorumRemoveControllerCommand implements Callable<Integer> {
    @Option(names = {"--controller-id", "-i"}, required = true, paramLabel = "ID",
            description = "The id of the controller to remove.")
    int controllerId;

    @Option(names = {"--controller-directory-id", "-d"}, paramLabel = "DIRECTORY_ID",
            description = "The directory id of the controller to remove: Runnel's controllers all have "
                    + QuorumStatusFormat.ZERO_DIRECTORY_ID + " (the default).")
    String directoryId = QuorumStatusFormat.ZERO_DIRECTORY_ID;

    @ParentCommand
    MetadataQuorumCommand parent;

    @Spec
    CommandSpec spec;

    private final Function<Properties, QuorumAdmin> adminFactory;

    /** The command as {@code bin/runnel} runs it: a real Admin client. */
    public QuorumRemoveControllerCommand() {
        this(props -> new AdminQuorumAdmin(ClientFactory.REAL.admin(props)));
    }

    /** @param adminFactory opens the {@link QuorumAdmin} for the given Admin client properties (tests pass a fake) */
    public QuorumRemoveControllerCommand(Function<Properties, QuorumAdmin> adminFactory) {
        this.adminFactory = adminFactory;
    }

    @Override
    public Integer call() {
        if (!QuorumStatusFormat.ZERO_DIRECTORY_ID.equals(directoryId)) {
            throw new ParameterException(spec.commandLine(), "Runnel's controllers have no directory ids (KIP-853):"
                    + " --controller-directory-id can only be " + QuorumStatusFormat.ZERO_DIRECTORY_ID
                    + ", as describe --replication shows (got " + directoryId + ")");
        }
        if (controllerId < 0) {
            throw new ParameterException(spec.commandLine(), "--controller-id must be >= 0 (got " + controllerId
                    + ")");
        }
        BootstrapServers servers = parent.bootstrap();
        Properties props = parent.adminProperties();
        KafkaLogging.configure(ErrorHandlers.isVerbose(spec));
        try (QuorumAdmin admin = adminFactory.apply(props)) {
            admin.removeController(controllerId, directoryId);
        } catch (ParameterException | CliException e) {
            throw e;
        } catch (RuntimeException e) {
            throw BrokerErrors.describe(e, servers);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Removed KRaft controller " + controllerId + " with directory id " + directoryId);
        out.flush();
        return 0;
    }
}
