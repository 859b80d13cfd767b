package io.runnel.cli.transactions;

import io.runnel.cli.VersionProvider;
import io.runnel.cli.client.ClientFactory;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code runnel transactions ... describe --transactional-id ID}: the coordinator's state of one transactional id
 * (FindCoordinator, then DescribeTransactions), one row of Kafka's columns; the duration is measured against this
 * machine's clock. An unknown id is {@code TRANSACTIONAL_ID_NOT_FOUND}, exit 1.
 */
@Command(name = "describe", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, description = "Describe the state of an active transactional-id.")
public final class DescribeTransactionCommand implements Callable<Integer> {

    @Option(names = "--transactional-id", required = true, paramLabel = "ID", description = "Transactional id.")
    String transactionalId;

    @ParentCommand
    TransactionsCommand parent;

    @Spec
    CommandSpec spec;

    private final Function<Properties, Admin> adminFactory;
    private final LongSupplier clockMs;

    /** The command as {@code bin/runnel} runs it: a real Admin client and the system clock. */
    public DescribeTransactionCommand() {
        this(ClientFactory.REAL::admin, System::currentTimeMillis);
    }

    /**
     * @param adminFactory opens the Admin client for the given properties (tests pass a fake)
     * @param clockMs the current time in epoch ms
     */
    public DescribeTransactionCommand(Function<Properties, Admin> adminFactory, LongSupplier clockMs) {
        this.adminFactory = adminFactory;
        this.clockMs = clockMs;
    }

    /**
     * @return 0 on success
     * @throws ParameterException for an empty id (exit 2)
     * @throws io.runnel.cli.CliException when the coordinator failed to describe it (exit 1)
     */
    @Override
    public Integer call() {
        if (transactionalId.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--transactional-id must not be empty");
        }
        parent.withAdmin(spec, adminFactory, (admin, servers) -> {
            TransactionDescription d = TransactionFailures.await(
                    admin.describeTransactions(List.of(transactionalId)).description(transactionalId),
                    "Failed to describe transaction state of transactional-id '" + transactionalId + "'", servers);
            TransactionTables.describe(transactionalId, d, clockMs.getAsLong())
                    .forEach(spec.commandLine().getOut()::println);
        });
        return 0;
    }
}
