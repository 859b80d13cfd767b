package io.runnel.cli.quorum;

import io.runnel.cli.VersionProvider;
import io.runnel.cli.client.BootstrapServers;
import io.runnel.cli.client.ClientDefaults;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code runnel metadata-quorum --bootstrap-server HOST:PORT [--command-config FILE] describe (--status |
 * --replication [--human-readable])}: Apache Kafka's {@code kafka-metadata-quorum.sh}, reporting Runnel's Ratis
 * metadata quorum through any broker (DescribeQuorum, API key 55, which the broker forwards to the active
 * controller); {@code add-controller} and {@code remove-controller --controller-id N} change its voters (KIP-853:
 * AddRaftVoter 80, RemoveRaftVoter 81). The connection options belong here, before the subcommand, as in Kafka's tool. Runnel's controllers
 * speak Ratis, not the Kafka protocol, so Kafka's {@code --bootstrap-controller} has no counterpart.
 */
@Command(
        name = "metadata-quorum",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "Describe and change the metadata quorum (the flags and output of kafka-metadata-quorum.sh).",
        subcommands = {QuorumDescribeCommand.class, QuorumAddControllerCommand.class,
                QuorumRemoveControllerCommand.class})
public final class MetadataQuorumCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-server", required = true, paramLabel = "HOST:PORT",
            description = "The broker(s) to connect to, e.g. localhost:9092.")
    String bootstrapServer;

    @Option(names = "--command-config", paramLabel = "FILE",
            description = "Properties file of Admin client configs (security settings, timeouts).")
    Path commandConfig;

    @Spec
    CommandSpec spec;

    /** Runs when no subcommand is given: a usage error (exit 2). */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command (one of: "
                + String.join(", ", spec.subcommands().keySet()) + ")");
    }

    /**
     * @return the parsed {@code --bootstrap-server}
     * @throws ParameterException (exit 2) when it is malformed
     */
    BootstrapServers bootstrap() {
        try {
            return BootstrapServers.parse(bootstrapServer);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Admin properties: see {@link ClientDefaults#admin}. */
    Properties adminProperties() {
        return ClientDefaults.admin(commandConfig, bootstrapServer);
    }
}
