package io.runnel.cli.transactions;

import io.runnel.cli.CliException;
import io.runnel.cli.ErrorHandlers;
import io.runnel.cli.VersionProvider;
import io.runnel.cli.client.BootstrapServers;
import io.runnel.cli.client.ClientDefaults;
import io.runnel.cli.client.KafkaLogging;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code runnel transactions --bootstrap-server HOST:PORT [--command-config FILE] COMMAND}: the subcommands of Apache
 * Kafka's {@code kafka-transactions.sh}, built on kafka-clients {@link Admin}: {@code list} (ListTransactions),
 * {@code describe} (DescribeTransactions), {@code describe-producers} (DescribeProducers), {@code abort}
 * (WriteTxnMarkers through {@code Admin.abortTransaction}), {@code find-hanging} and
 * {@code forceTerminateTransaction}. The connection options belong here, before the subcommand, as in Kafka's tool.
 * Tables are printed as Kafka prints them ({@link TextTable}). Wrong flags are exit 2 before any connection; a broker
 * error is one line naming Kafka's error code and message, exit 1.
 */
@Command(
        name = "transactions",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "Analyze the transactional state of producers and recover from hanging transactions "
                + "(the subcommands and output of kafka-transactions.sh).",
        subcommands = {
            ListTransactionsCommand.class,
            DescribeTransactionCommand.class,
            DescribeProducersCommand.class,
            AbortTransactionCommand.class,
            FindHangingCommand.class,
            ForceTerminateCommand.class
        })
public final class TransactionsCommand implements Callable<Integer> {

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

    /** One Admin call of a subcommand, allowed to throw what kafka-clients throws. */
    @FunctionalInterface
    interface AdminCall {
        /**
         * @param admin the open Admin client
         * @param servers the parsed bootstrap list, for error messages
         */
        void run(Admin admin, BootstrapServers servers) throws Exception;
    }

    /**
     * Opens an Admin client with this command's connection options, runs {@code call} and closes the client. Failures
     * the call did not already turn into a {@link CliException} become one line (exit 1).
     *
     * @param subcommand the running subcommand's spec (for {@code --verbose})
     * @param factory opens the Admin client (tests pass a fake)
     * @param call what to do with it
     * @throws ParameterException when {@code --bootstrap-server} is malformed (exit 2)
     */
    void withAdmin(CommandSpec subcommand, Function<Properties, Admin> factory, AdminCall call) {
        BootstrapServers servers = bootstrap();
        KafkaLogging.configure(ErrorHandlers.isVerbose(subcommand));
        try (Admin admin = factory.apply(ClientDefaults.admin(commandConfig, bootstrapServer))) {
            call.run(admin, servers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", e);
        } catch (ParameterException | CliException e) {
            throw e;
        } catch (Exception e) {
            throw TransactionFailures.describe(null, e, servers);
        } finally {
            subcommand.commandLine().getOut().flush();
        }
    }

    private BootstrapServers bootstrap() {
        try {
            return BootstrapServers.parse(bootstrapServer);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
