package io.runnel.cli.transactions;

import io.runnel.cli.VersionProvider;
import io.runnel.cli.client.ClientFactory;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code runnel transactions ... forceTerminateTransaction --transactionalId ID}: Kafka 4.1's command (KIP-939) that
 * aborts the ongoing transaction of a transactional id ({@code Admin.forceTerminateTransaction}, which in kafka-clients
 * 4.2 is {@code fenceProducers} of that one id: FindCoordinator, then InitProducerId to its coordinator, which bumps
 * the producer epoch and aborts what was open). Prints nothing on success, as Kafka's tool; the name and flag keep
 * Kafka's spelling.
 */
@Command(name = "forceTerminateTransaction", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "Force abort an ongoing transaction on transactionalId (requires administrative privileges).")
public final class ForceTerminateCommand implements Callable<Integer> {

    @Option(names = "--transactionalId", required = true, paramLabel = "ID", description = "Transactional id.")
    String transactionalId;

    @ParentCommand
    TransactionsCommand parent;

    @Spec
    CommandSpec spec;

    private final Function<Properties, Admin> adminFactory;

    /** The command as {@code bin/runnel} runs it: a real Admin client. */
    public ForceTerminateCommand() {
        this(ClientFactory.REAL::admin);
    }

    /** @param adminFactory opens the Admin client for the given properties (tests pass a fake) */
    public ForceTerminateCommand(Function<Properties, Admin> adminFactory) {
        this.adminFactory = adminFactory;
    }

    /**
     * @return 0 when the coordinator aborted it
     * @throws ParameterException for an empty id (exit 2)
     * @throws io.runnel.cli.CliException when the coordinator refused or failed (exit 1)
     */
    @Override
    public Integer call() {
        if (transactionalId.isEmpty()) {
            throw TransactionArgs.usage(spec, "--transactionalId must not be empty");
        }
        parent.withAdmin(spec, adminFactory, (admin, servers) -> TransactionFailures.await(
                admin.forceTerminateTransaction(transactionalId).result(),
                "Failed to force terminate transactionalId '" + transactionalId + "'", servers));
        return 0;
    }
}
