package io.runnel.cli;

import io.runnel.broker.config.ServerConfig;
import io.runnel.broker.node.RunnelNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code runnel server-start CONFIG [--override key=value]...}: runs one Runnel node in the foreground, like Kafka's
 * {@code kafka-server-start.sh}. The first start of a node formats its storage; SIGTERM or SIGINT shuts it down
 * cleanly (partition logs closed with their clean-shutdown markers, the quorum member stopped).
 */
@Command(name = "server-start", mixinStandardHelpOptions = true,
        description = "Start a Runnel node (broker, controller, or both) from a Kafka-style properties file.")
public final class ServerStartCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "server properties file, e.g. config/server.properties")
    Path configFile;

    @Option(names = "--override", paramLabel = "KEY=VALUE",
            description = "override a property of the file (repeatable), e.g. --override node.id=2")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
        ServerConfig config = ServerConfig.load(configFile, overrides);
        RunnelNode node = RunnelNode.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (IOException e) {
                System.err.println("runnel: shutdown failed: " + e.getMessage());
            }
        }, "runnel-shutdown"));
        node.awaitShutdown();
        return 0;
    }
}
