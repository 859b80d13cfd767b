package io.runnel.cli.transactions;

import io.runnel.cli.CliException;
import io.runnel.cli.VersionProvider;
import io.runnel.cli.client.BootstrapServers;
import io.runnel.cli.client.ClientFactory;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code runnel transactions ... abort --topic T --partition P (--start-offset O | --producer-id ID --producer-epoch E
 * --coordinator-epoch C)}: aborts a hanging transaction on one partition by having its leader write an abort marker
 * ({@code Admin.abortTransaction}, WriteTxnMarkers). With {@code --start-offset} the producer is looked up first
 * (DescribeProducers: the active producer whose open transaction starts at that offset); the other three flags name it
 * directly, as for brokers before 3.0 (a negative coordinator epoch becomes 0, as in Kafka's tool). Prints nothing on
 * success, as Kafka's tool. Neither or both ways, or a missing flag of the second, is exit 2; no open transaction at
 * the offset or a broker error is exit 1.
 */
@Command(name = "abort", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, description = "Abort a hanging transaction (requires administrative privileges).")
public final class AbortTransactionCommand implements Callable<Integer> {

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "Topic name.")
    String topic;

    @Option(names = "--partition", required = true, paramLabel = "N", description = "Partition number.")
    int partition;

    @Option(names = "--start-offset", paramLabel = "OFFSET", description = "Start offset of the transaction to abort "
            + "(brokers on 3.0 and above: the producer is looked up).")
    Long startOffset;

    @Option(names = "--producer-id", paramLabel = "ID",
            description = "Producer id (brokers older than 3.0: with --producer-epoch and --coordinator-epoch).")
    Long producerId;

    @Option(names = "--producer-epoch", paramLabel = "EPOCH", description = "Producer epoch (with --producer-id).")
    Short producerEpoch;

    @Option(names = "--coordinator-epoch", paramLabel = "EPOCH",
            description = "Coordinator epoch (with --producer-id).")
    Integer coordinatorEpoch;

    @ParentCommand
    TransactionsCommand parent;

    @Spec
    CommandSpec spec;

    private final Function<Properties, Admin> adminFactory;

    /** The command as {@code bin/runnel} runs it: a real Admin client. */
    public AbortTransactionCommand() {
        this(ClientFactory.REAL::admin);
    }

    /** @param adminFactory opens the Admin client for the given properties (tests pass a fake) */
    public AbortTransactionCommand(Function<Properties, Admin> adminFactory) {
        this.adminFactory = adminFactory;
    }

    /**
     * @return 0 when the marker was written
     * @throws ParameterException for missing or contradictory flags (exit 2)
     * @throws CliException when no transaction starts at the offset, or the broker failed (exit 1)
     */
    @Override
    public Integer call() {
        TopicPartition tp = TransactionArgs.partition(spec, topic, partition);
        AbortTransactionSpec direct = directSpec(tp);
        parent.withAdmin(spec, adminFactory, (admin, servers) -> {
            AbortTransactionSpec abort = direct != null ? direct : lookUp(admin, tp, servers);
            TransactionFailures.await(admin.abortTransaction(abort).all(),
                    "Failed to abort transaction " + abort, servers);
        });
        return 0;
    }

    /** The spec named by the producer flags, or null when {@code --start-offset} is to be looked up. */
    private AbortTransactionSpec directSpec(TopicPartition tp) {
        boolean anyProducerFlag = producerId != null || producerEpoch != null || coordinatorEpoch != null;
        if (startOffset == null && producerId == null) {
            throw TransactionArgs.usage(spec, "The transaction to abort must be identified either with "
                    + "--start-offset (for brokers on 3.0 or above) or with --producer-id, --producer-epoch, and "
                    + "--coordinator-epoch (for older brokers)");
        }
        if (startOffset != null) {
            if (anyProducerFlag) {
                throw TransactionArgs.usage(spec, "--start-offset identifies the transaction by itself: give either "
                        + "it or --producer-id, --producer-epoch and --coordinator-epoch, not both");
            }
            if (startOffset < 0) {
                throw TransactionArgs.usage(spec, "--start-offset must be at least 0, not " + startOffset);
            }
            return null;
        }
        if (producerEpoch == null) {
            throw TransactionArgs.usage(spec, "Missing required argument --producer-epoch");
        }
        if (coordinatorEpoch == null) {
            throw TransactionArgs.usage(spec, "Missing required argument --coordinator-epoch");
        }
        if (producerId < 0) {
            throw TransactionArgs.usage(spec, "--producer-id must be at least 0, not " + producerId);
        }
        if (producerEpoch < 0) {
            throw TransactionArgs.usage(spec, "--producer-epoch must be at least 0, not " + producerEpoch);
        }
        // A producer that never had a marker written shows coordinator epoch -1; 0 is at most any real epoch.
        return new AbortTransactionSpec(tp, producerId, producerEpoch, Math.max(0, coordinatorEpoch));
    }

    /** The producer whose open transaction on {@code tp} starts at {@code --start-offset} (DescribeProducers). */
    private AbortTransactionSpec lookUp(Admin admin, TopicPartition tp, BootstrapServers servers) {
        PartitionProducerState state = TransactionFailures.await(
                admin.describeProducers(List.of(tp)).partitionResult(tp),
                "Failed to validate producer state for partition " + tp, servers);
        for (ProducerState p : state.activeProducers()) {
            if (p.currentTransactionStartOffset().isPresent()
                    && p.currentTransactionStartOffset().getAsLong() == startOffset) {
                return new AbortTransactionSpec(tp, p.producerId(), (short) p.producerEpoch(),
                        p.coordinatorEpoch().orElse(0));
            }
        }
        throw new CliException("Could not find any open transactions starting at offset " + startOffset
                + " on partition " + tp);
    }
}
