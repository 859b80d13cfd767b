package io.runnel.compat.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * What the cluster says about transactions, for a failure message of {@link StreamsExactlyOnceTest}: every
 * transactional id with its state and partitions (ListTransactions, DescribeTransactions), and for every partition
 * of the given topics the high watermark, the last stable offset and the producers with an open transaction there
 * (ListOffsets in both isolation levels, DescribeProducers).
 */
final class TxnDiagnostics {

    private TxnDiagnostics() {
    }

    /**
     * The report on {@code topics} and every topic named {@code internalPrefix...}; an exception while collecting it
     * is reported in it rather than thrown.
     */
    static String report(Admin admin, List<String> topics, String internalPrefix) {
        StringJoiner out = new StringJoiner("\n", "\n--- transactions ---\n", "\n---");
        try {
            List<String> ids = admin.listTransactions().all().get(20, TimeUnit.SECONDS).stream()
                    .map(TransactionListing::transactionalId).toList();
            admin.describeTransactions(ids).all().get(20, TimeUnit.SECONDS).forEach((id, d) -> out.add(id + ": "
                    + d.state() + " producer " + d.producerId() + "/" + d.producerEpoch() + " coordinator "
                    + d.coordinatorId() + " started " + d.transactionStartTimeMs() + " partitions "
                    + d.topicPartitions()));
            Set<String> present = admin.listTopics().names().get(20, TimeUnit.SECONDS);
            List<TopicPartition> tps = new ArrayList<>();
            for (String t : present.stream()
                    .filter(t -> topics.contains(t) || t.startsWith(internalPrefix)).sorted().toList()) {
                admin.describeTopics(List.of(t)).allTopicNames().get(20, TimeUnit.SECONDS).get(t).partitions()
                        .forEach(p -> tps.add(new TopicPartition(t, p.partition())));
            }
            Map<TopicPartition, OffsetSpec> latest = tps.stream().collect(Collectors.toMap(tp -> tp,
                    tp -> OffsetSpec.latest()));
            var hw = admin.listOffsets(latest).all().get(20, TimeUnit.SECONDS);
            var lso = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(20, TimeUnit.SECONDS);
            var producers = admin.describeProducers(tps).all().get(20, TimeUnit.SECONDS);
            for (TopicPartition tp : tps) {
                String open = producers.get(tp).activeProducers().stream()
                        .filter(p -> p.currentTransactionStartOffset().isPresent())
                        .map(p -> "producer " + p.producerId() + "/" + p.producerEpoch() + " open since offset "
                                + p.currentTransactionStartOffset().getAsLong())
                        .collect(Collectors.joining(", "));
                out.add(tp + ": high watermark " + hw.get(tp).offset() + ", last stable offset " + lso.get(tp).offset()
                        + (open.isEmpty() ? "" : ", " + open));
            }
        } catch (Exception e) {
            out.add("collecting failed: " + e);
        }
        return out.toString();
    }
}
