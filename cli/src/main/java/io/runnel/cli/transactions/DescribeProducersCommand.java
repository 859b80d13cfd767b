package io.runnel.cli.transactions;

import io.runnel.cli.VersionProvider;
import io.runnel.cli.client.ClientFactory;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersOptions;
import org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code runnel transactions ... describe-producers --topic T --partition P [--broker-id B]}: the active producers of
 * one partition (DescribeProducers, sent to the leader, or to broker B to see its replica's state), one row each:
 * {@code ProducerId ProducerEpoch LatestCoordinatorEpoch LastSequence LastTimestamp CurrentTransactionStartOffset}
 * ({@code None} when the producer has no open transaction there).
 */
@Command(name = "describe-producers", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, description = "Describe the states of active producers for a topic partition.")
public final class DescribeProducersCommand implements Callable<Integer> {

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "Topic name.")
    String topic;

    @Option(names = "--partition", required = true, paramLabel = "N", description = "Partition number.")
    int partition;

    @Option(names = "--broker-id", paramLabel = "ID",
            description = "Describe the producer state on this broker's replica instead of the leader's.")
    Integer brokerId;

    @ParentCommand
    TransactionsCommand parent;

    @Spec
    CommandSpec spec;

    private final Function<Properties, Admin> adminFactory;

    /** The command as {@code bin/runnel} runs it: a real Admin client. */
    public DescribeProducersCommand() {
        this(ClientFactory.REAL::admin);
    }

    /** @param adminFactory opens the Admin client for the given properties (tests pass a fake) */
    public DescribeProducersCommand(Function<Properties, Admin> adminFactory) {
        this.adminFactory = adminFactory;
    }

    /**
     * @return 0 on success
     * @throws ParameterException for an empty topic or a negative partition or broker id (exit 2)
     * @throws io.runnel.cli.CliException when the broker failed to describe the partition (exit 1)
     */
    @Override
    public Integer call() {
        TopicPartition tp = TransactionArgs.partition(spec, topic, partition);
        DescribeProducersOptions options = new DescribeProducersOptions();
        if (brokerId != null) {
            options.brokerId(TransactionArgs.brokerId(spec, brokerId));
        }
        String on = brokerId == null ? "leader" : "broker " + brokerId;
        parent.withAdmin(spec, adminFactory, (admin, servers) -> {
            PartitionProducerState state = TransactionFailures.await(
                    admin.describeProducers(List.of(tp), options).partitionResult(tp),
                    "Failed to describe producers for partition " + tp + " on " + on, servers);
            TransactionTables.producers(state.activeProducers()).forEach(spec.commandLine().getOut()::println);
        });
        return 0;
    }
}
