package io.runnel.cli.cluster;

import io.runnel.cli.CliException;
import io.runnel.cli.ErrorHandlers;
import io.runnel.cli.VersionProvider;
import io.runnel.cli.client.AdminConnectionOptions;
import io.runnel.cli.client.BootstrapServers;
import io.runnel.cli.client.BrokerErrors;
import io.runnel.cli.client.ClientFactory;
import io.runnel.cli.client.KafkaLogging;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code runnel cluster}: the subcommands of Kafka's {@code kafka-cluster.sh}. {@code cluster-id} prints
 * {@code Cluster ID: <id>} (DescribeCluster); {@code unregister --id N} removes the registration of a broker that is
 * gone (UnregisterBroker, API key 64) and prints {@code Broker N is no longer registered.}. A broker still running is
 * refused (stop it first: it would register again at once). Bad flags are exit 2, a refusal or broker error exit 1.
 */
@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Cluster-wide operations (the subcommands of kafka-cluster.sh).",
        subcommands = {ClusterCommand.ClusterId.class, ClusterCommand.Unregister.class})
public final class ClusterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing subcommand (one of: cluster-id, unregister)");
    }

    /** Runs {@code action} with an Admin client; failures become one line (exit 1). */
    private static void withAdmin(CommandSpec spec, AdminConnectionOptions connection,
                                  Function<Properties, Admin> factory, AdminAction action) {
        BootstrapServers servers = connection.servers();
        KafkaLogging.configure(ErrorHandlers.isVerbose(spec));
        PrintWriter out = spec.commandLine().getOut();
        try (Admin admin = factory.apply(connection.adminProperties())) {
            action.run(admin, out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", e);
        } catch (Exception e) {
            throw BrokerErrors.describe(e, servers);
        } finally {
            out.flush();
        }
    }

    private interface AdminAction {
        void run(Admin admin, PrintWriter out) throws Exception;
    }

    /** {@code runnel cluster cluster-id}. */
    @Command(name = "cluster-id", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Print the cluster id.")
    public static final class ClusterId implements Callable<Integer> {
        @Mixin
        AdminConnectionOptions connection;
        @Spec
        CommandSpec spec;
        private final Function<Properties, Admin> factory;

        public ClusterId() {
            this(ClientFactory.REAL::admin);
        }

        public ClusterId(Function<Properties, Admin> factory) {
            this.factory = factory;
        }

        @Override
        public Integer call() {
            withAdmin(spec, connection, factory, (admin, out) ->
                    out.println("Cluster ID: " + admin.describeCluster().clusterId().get()));
            return 0;
        }
    }

    /** {@code runnel cluster unregister --id N}. */
    @Command(name = "unregister", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Remove the registration of a broker that is gone (stopped for good).")
    public static final class Unregister implements Callable<Integer> {
        @Mixin
        AdminConnectionOptions connection;
        @Option(names = "--id", required = true, paramLabel = "ID", description = "The broker id to unregister.")
        int id;
        @Spec
        CommandSpec spec;
        private final Function<Properties, Admin> factory;

        public Unregister() {
            this(ClientFactory.REAL::admin);
        }

        public Unregister(Function<Properties, Admin> factory) {
            this.factory = factory;
        }

        @Override
        public Integer call() {
            if (id < 0) {
                throw new ParameterException(spec.commandLine(), "--id must be a broker id (at least 0), not " + id);
            }
            withAdmin(spec, connection, factory, (admin, out) -> {
                admin.unregisterBroker(id).all().get();
                out.printf("Broker %d is no longer registered.%n", id);
            });
            return 0;
        }
    }
}
