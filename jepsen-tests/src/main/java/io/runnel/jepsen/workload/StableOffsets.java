package io.runnel.jepsen.workload;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits, before a read_committed final drain, until every partition's last stable offset equals its high watermark
 * (ListOffsets latest with isolation read_committed and read_uncommitted, KIP-98): every transaction the workload
 * wrote has its commit or abort marker. A transaction a producer left open is aborted by its coordinator after
 * {@code transaction.timeout.ms} (15 s for the workload's producers), so with a healed cluster this holds well within
 * the drain's limit; when it does not, a committed write the drain cannot reach is a real fault, not a timing effect.
 */
final class StableOffsets {
    private StableOffsets() {
    }

    /**
     * Polls both end offsets of every partition of {@code config.topic()} until they are equal.
     *
     * @param limit how long to try in all
     * @return null when every partition is stable; otherwise a description of the last offsets seen
     */
    static String await(QueueConfig config, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < config.partitions(); p++) {
            latest.put(new TopicPartition(config.topic(), p), OffsetSpec.latest());
        }
        String last = "no answer";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000))) {
            while (System.nanoTime() < deadline) {
                try {
                    Map<TopicPartition, Long> stable = offsets(admin, latest, IsolationLevel.READ_COMMITTED);
                    Map<TopicPartition, Long> high = offsets(admin, latest, IsolationLevel.READ_UNCOMMITTED);
                    if (stable.equals(high)) {
                        return null;
                    }
                    last = "last stable offsets " + stable + ", high watermarks " + high;
                } catch (Exception e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                        return "interrupted";
                    }
                    last = Outcomes.describe(e);
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return "interrupted";
                }
            }
        }
        return last;
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, Map<TopicPartition, OffsetSpec> latest,
                                                     IsolationLevel isolation) throws Exception {
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all().get(5, TimeUnit.SECONDS)
                .forEach((tp, r) -> out.put(tp, r.offset()));
        return out;
    }
}
