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
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code runnel metadata-quorum --bootstrap-server HOST:PORT --command-config new-controller.properties
 * add-controller}: Kafka's subcommand (KIP-853). Reads the new controller's {@code node.id} and controller listener
 * from the properties file ({@link NewControllerProperties}) and sends AddRaftVoter (key 80) through the broker to
 * the active controller, which makes that running controller (started with {@code
 * controller.quorum.bootstrap.servers}) a voter once Ratis has caught it up. Prints {@code Added controller N with
 * directory id AAAAAAAAAAAAAAAAAAAAAA and endpoints: CONTROLLER://host:port} (Runnel's controllers have the zero
 * directory id). Without {@code --command-config}: usage error, exit 2; the broker's refusals (DUPLICATE_VOTER,
 * INVALID_REQUEST when the quorum would lose its live majority, REQUEST_TIMED_OUT while another change runs) are one
 * line, exit 1.
 */
@Command(
        name = "add-controller",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Add a controller to the KRaft controller cluster (its node.id and controller listener come "
                + "from the --command-config file).")
public final class QuorumAddControllerCommand implements Callable<Integer> {
    @ParentCommand
    MetadataQuorumCommand parent;

    @Spec
    CommandSpec spec;

    private final Function<Properties, QuorumAdmin> adminFactory;

    /** The command as {@code bin/runnel} runs it: a real Admin client. */
    public QuorumAddControllerCommand() {
        this(props -> new AdminQuorumAdmin(ClientFactory.REAL.admin(props)));
    }

    /** @param adminFactory opens the {@link QuorumAdmin} for the given Admin client properties (tests pass a fake) */
    public QuorumAddControllerCommand(Function<Properties, QuorumAdmin> adminFactory) {
        this.adminFactory = adminFactory;
    }

    @Override
    public Integer call() {
        if (parent.commandConfig == null) {
            throw new ParameterException(spec.commandLine(), "You must supply the configuration file of the "
                    + "controller you are adding when using add-controller (--command-config)");
        }
        BootstrapServers servers = parent.bootstrap();
        NewControllerProperties controller = NewControllerProperties.read(parent.commandConfig);
        Properties props = parent.adminProperties();
        KafkaLogging.configure(ErrorHandlers.isVerbose(spec));
        try (QuorumAdmin admin = adminFactory.apply(props)) {
            admin.addController(controller.nodeId(), QuorumStatusFormat.ZERO_DIRECTORY_ID, controller.endpoints());
        } catch (ParameterException | CliException e) {
            throw e;
        } catch (RuntimeException e) {
            throw BrokerErrors.describe(e, servers);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Added controller " + controller.nodeId() + " with directory id "
                + QuorumStatusFormat.ZERO_DIRECTORY_ID + " and endpoints: " + controller.endpoints().stream()
                .map(ControllerEndpoint::toString).collect(Collectors.joining(", ")));
        out.flush();
        return 0;
    }
}
