package io.runnel.cli.client;

import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The connection flags Kafka's admin tools share, as a picocli mixin ({@code @Mixin}): {@code --bootstrap-server
 * HOST:PORT[,HOST:PORT...]} (required) and {@code --command-config FILE} (Admin client properties).
 */
public final class AdminConnectionOptions {

    @Option(names = "--bootstrap-server", required = true, paramLabel = "HOST:PORT",
            description = "The broker(s) to connect to, e.g. localhost:9092.")
    String bootstrapServer;

    @Option(names = "--command-config", paramLabel = "FILE",
            description = "Properties file of Admin client configs (security settings, timeouts).")
    Path commandConfig;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /**
     * The bootstrap list, parsed.
     *
     * @throws ParameterException when it is malformed (exit 2)
     */
    public BootstrapServers servers() {
        try {
            return BootstrapServers.parse(bootstrapServer);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), e.getMessage());
        }
    }

    /**
     * Admin client properties: {@link ClientDefaults#admin} of these flags.
     *
     * @throws io.runnel.cli.CliException when the {@code --command-config} file is missing or unreadable
     */
    public Properties adminProperties() {
        return ClientDefaults.admin(commandConfig, bootstrapServer);
    }
}
