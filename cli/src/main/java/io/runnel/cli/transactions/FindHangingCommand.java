package io.runnel.cli.transactions;

import io.runnel.cli.VersionProvider;
import io.runnel.cli.client.ClientFactory;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code runnel transactions ... find-hanging (--broker-id B | --topic T [--partition P]) [--max-transaction-timeout
 * MINUTES]}: open transactions on the partitions searched that their coordinator will never finish
 * ({@link HangingTransactionFinder}), one row each: {@code Topic Partition ProducerId ProducerEpoch CoordinatorEpoch
 * StartOffset LastTimestamp Duration(min)}; only the header when there are none. Abort one with {@code abort --topic T
 * --partition P --start-offset O}.
 */
@Command(name = "find-hanging", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, description = "Find hanging transactions.")
public final class FindHangingCommand implements Callable<Integer> {

    @Option(names = "--broker-id", paramLabel = "ID", description = "Broker id to search for hanging transactions.")
    Integer brokerId;

    @Option(names = "--max-transaction-timeout", paramLabel = "MINUTES", defaultValue = "15",
            description = "Maximum transaction timeout in minutes to limit the scope of the search "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxTransactionTimeoutMinutes;

    @Option(names = "--topic", paramLabel = "TOPIC",
            description = "Topic name to limit the search to (required if --partition is given).")
    String topic;

    @Option(names = "--partition", paramLabel = "N", description = "Partition number.")
    Integer partition;

    @ParentCommand
    TransactionsCommand parent;

    @Spec
    CommandSpec spec;

    private final Function<Properties, Admin> adminFactory;
    private final LongSupplier clockMs;

    /** The command as {@code bin/runnel} runs it: a real Admin client and the system clock. */
    public FindHangingCommand() {
        this(ClientFactory.REAL::admin, System::currentTimeMillis);
    }

    /**
     * @param adminFactory opens the Admin client for the given properties (tests pass a fake)
     * @param clockMs the current time in epoch ms
     */
    public FindHangingCommand(Function<Properties, Admin> adminFactory, LongSupplier clockMs) {
        this.adminFactory = adminFactory;
        this.clockMs = clockMs;
    }

    /**
     * @return 0 on success, hanging transactions found or not
     * @throws ParameterException for missing or contradictory flags (exit 2)
     * @throws io.runnel.cli.CliException when a call failed (exit 1)
     */
    @Override
    public Integer call() {
        if (topic == null && brokerId == null) {
            throw TransactionArgs.usage(spec, "The `find-hanging` command requires either --topic or --broker-id to "
                    + "limit the scope of the search");
        }
        if (partition != null && topic == null) {
            throw TransactionArgs.usage(spec, "The --partition argument requires --topic to be provided");
        }
        if (topic != null) {
            TransactionArgs.partition(spec, topic, partition == null ? 0 : partition);
        }
        if (brokerId != null) {
            TransactionArgs.brokerId(spec, brokerId);
        }
        if (maxTransactionTimeoutMinutes < 0) {
            throw TransactionArgs.usage(spec, "--max-transaction-timeout must be at least 0 minutes, not "
                    + maxTransactionTimeoutMinutes);
        }
        long maxMs = TimeUnit.MINUTES.toMillis(maxTransactionTimeoutMinutes);
        parent.withAdmin(spec, adminFactory, (admin, servers) -> {
            List<OpenTransaction> hanging = new HangingTransactionFinder(admin, servers, clockMs)
                    .find(brokerId, topic, partition, maxMs);
            TransactionTables.hanging(hanging, clockMs.getAsLong()).forEach(spec.commandLine().getOut()::println);
        });
        return 0;
    }
}
