package io.runnel.cli.transactions;

import io.runnel.cli.VersionProvider;
import io.runnel.cli.client.ClientFactory;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code runnel transactions ... list [--duration-filter MS] [--transactional-id-pattern REGEX]}: every transactional
 * id each broker coordinates (ListTransactions, sent to every broker), as {@code TransactionalId Coordinator
 * ProducerId TransactionState}. The filters are Kafka's: {@code --duration-filter} keeps transactions running longer
 * than that many ms (KIP-994, ListTransactions v1), {@code --transactional-id-pattern} ids matching a regular
 * expression (KIP-1152, v2).
 */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, description = "List transactions.")
public final class ListTransactionsCommand implements Callable<Integer> {

    @Option(names = "--duration-filter", paramLabel = "MS", description = "Duration (in millis) to filter by: if < 0, "
            + "all transactions are returned; otherwise only transactions running longer than this duration.")
    Long durationFilter;

    @Option(names = "--transactional-id-pattern", paramLabel = "REGEX",
            description = "Transactional id regular expression pattern to filter by.")
    String transactionalIdPattern;

    @ParentCommand
    TransactionsCommand parent;

    @Spec
    CommandSpec spec;

    private final Function<Properties, Admin> adminFactory;

    /** The command as {@code bin/runnel} runs it: a real Admin client. */
    public ListTransactionsCommand() {
        this(ClientFactory.REAL::admin);
    }

    /** @param adminFactory opens the Admin client for the given properties (tests pass a fake) */
    public ListTransactionsCommand(Function<Properties, Admin> adminFactory) {
        this.adminFactory = adminFactory;
    }

    /**
     * @return 0 on success
     * @throws ParameterException for a malformed pattern (exit 2)
     * @throws io.runnel.cli.CliException when a broker failed to answer (exit 1)
     */
    @Override
    public Integer call() {
        ListTransactionsOptions options = new ListTransactionsOptions();
        if (durationFilter != null) {
            options.filterOnDuration(durationFilter);
        }
        if (transactionalIdPattern != null) {
            try {
                Pattern.compile(transactionalIdPattern);
            } catch (PatternSyntaxException e) {
                throw new ParameterException(spec.commandLine(), "--transactional-id-pattern is not a regular "
                        + "expression: " + e.getDescription() + " near index " + e.getIndex());
            }
            options.filterOnTransactionalIdPattern(transactionalIdPattern);
        }
        parent.withAdmin(spec, adminFactory, (admin, servers) -> {
            Map<Integer, Collection<TransactionListing>> result = TransactionFailures.await(
                    admin.listTransactions(options).allByBrokerId(), "Failed to list transactions", servers);
            TransactionTables.list(result).forEach(spec.commandLine().getOut()::println);
        });
        return 0;
    }
}
