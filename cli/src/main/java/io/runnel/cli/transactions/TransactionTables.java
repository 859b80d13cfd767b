package io.runnel.cli.transactions;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.TopicPartition;

/**
 * The tables of the {@code transactions} subcommands, with Kafka's columns and values ({@code None} where Kafka prints
 * it), laid out by {@link TextTable}. Pure functions of kafka-clients result objects and the current time.
 */
final class TransactionTables {

    /** Columns of {@code list}. */
    static final List<String> LIST_HEADERS = List.of("TransactionalId", "Coordinator", "ProducerId",
            "TransactionState");
    /** Columns of {@code describe}. */
    static final List<String> DESCRIBE_HEADERS = List.of("CoordinatorId", "TransactionalId", "ProducerId",
            "ProducerEpoch", "TransactionState", "TransactionTimeoutMs", "CurrentTransactionStartTimeMs",
            "TransactionDurationMs", "TopicPartitions");
    /** Columns of {@code describe-producers}. */
    static final List<String> PRODUCER_HEADERS = List.of("ProducerId", "ProducerEpoch", "LatestCoordinatorEpoch",
            "LastSequence", "LastTimestamp", "CurrentTransactionStartOffset");
    /** Columns of {@code find-hanging}. */
    static final List<String> HANGING_HEADERS = List.of("Topic", "Partition", "ProducerId", "ProducerEpoch",
            "CoordinatorEpoch", "StartOffset", "LastTimestamp", "Duration(min)");

    private static final String NONE = "None";

    private TransactionTables() {}

    /**
     * {@code list}: one row per transaction, by coordinator id, then transactional id.
     *
     * @param byCoordinator the listings each coordinator (broker id) returned
     */
    static List<String> list(Map<Integer, ? extends Collection<TransactionListing>> byCoordinator) {
        List<List<String>> rows = new ArrayList<>();
        new TreeMap<>(byCoordinator).forEach((coordinator, listings) -> listings.stream()
                .sorted(Comparator.comparing(TransactionListing::transactionalId))
                .forEach(l -> rows.add(List.of(l.transactionalId(), String.valueOf(coordinator),
                        String.valueOf(l.producerId()), l.state().toString()))));
        return TextTable.format(LIST_HEADERS, rows);
    }

    /**
     * {@code describe}: one row; the duration is {@code nowMs} minus the transaction's start time.
     *
     * @param transactionalId the id described
     * @param d the coordinator's description
     * @param nowMs the current time in epoch ms
     */
    static List<String> describe(String transactionalId, TransactionDescription d, long nowMs) {
        String start = NONE;
        String duration = NONE;
        if (d.transactionStartTimeMs().isPresent()) {
            long startMs = d.transactionStartTimeMs().getAsLong();
            start = String.valueOf(startMs);
            duration = String.valueOf(nowMs - startMs);
        }
        String partitions = d.topicPartitions().stream()
                .sorted(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition))
                .map(TopicPartition::toString).collect(Collectors.joining(","));
        return TextTable.format(DESCRIBE_HEADERS, List.of(List.of(String.valueOf(d.coordinatorId()),
                transactionalId, String.valueOf(d.producerId()), String.valueOf(d.producerEpoch()),
                d.state().toString(), String.valueOf(d.transactionTimeoutMs()), start, duration, partitions)));
    }

    /**
     * {@code describe-producers}: one row per active producer, in the order the broker returned them.
     *
     * @param producers the partition's active producers
     */
    static List<String> producers(List<ProducerState> producers) {
        List<List<String>> rows = new ArrayList<>();
        for (ProducerState p : producers) {
            rows.add(List.of(String.valueOf(p.producerId()), String.valueOf(p.producerEpoch()),
                    String.valueOf(p.coordinatorEpoch().orElse(-1)), String.valueOf(p.lastSequence()),
                    String.valueOf(p.lastTimestamp()),
                    p.currentTransactionStartOffset().isPresent()
                            ? String.valueOf(p.currentTransactionStartOffset().getAsLong()) : NONE));
        }
        return TextTable.format(PRODUCER_HEADERS, rows);
    }

    /**
     * {@code find-hanging}: one row per hanging transaction, by topic, partition and producer id; the duration is the
     * whole minutes since the producer's last write.
     *
     * @param hanging the hanging transactions
     * @param nowMs the current time in epoch ms
     */
    static List<String> hanging(List<OpenTransaction> hanging, long nowMs) {
        List<List<String>> rows = new ArrayList<>();
        hanging.stream()
                .sorted(Comparator.comparing((OpenTransaction t) -> t.topicPartition().topic())
                        .thenComparingInt(t -> t.topicPartition().partition())
                        .thenComparingLong(t -> t.producer().producerId()))
                .forEach(t -> {
                    ProducerState p = t.producer();
                    rows.add(List.of(t.topicPartition().topic(), String.valueOf(t.topicPartition().partition()),
                            String.valueOf(p.producerId()), String.valueOf(p.producerEpoch()),
                            String.valueOf(p.coordinatorEpoch().orElse(-1)),
                            String.valueOf(p.currentTransactionStartOffset().orElse(-1)),
                            String.valueOf(p.lastTimestamp()),
                            String.valueOf(TimeUnit.MILLISECONDS.toMinutes(nowMs - p.lastTimestamp()))));
                });
        return TextTable.format(HANGING_HEADERS, rows);
    }
}
