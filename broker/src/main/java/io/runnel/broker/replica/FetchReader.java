package io.runnel.broker.replica;

import io.runnel.broker.quota.ReplicationQuota;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.PartitionRegistration;
import io.runnel.metadata.image.TopicImage;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reads the partitions of a Fetch in request order within {@code max_bytes}: each gets at most its
 * {@code partition_max_bytes} and what the response has left; until one partition returned data, a first batch
 * larger than that is still returned whole (KIP-74), so consumers always make progress. A follower outside the ISR
 * fetching a partition throttled on this leader gets no records while the leader side's throttled traffic is above
 * its rate (KIP-73); the bytes it does get count toward that rate. Stateless.
 */
final class FetchReader {
    private final Function<TopicPartition, Partition> partitions;
    private final Supplier<MetadataImage> image;
    private final ReplicationQuota leaderQuota;

    /** @param leaderQuota the leader side of the replication throttle (KIP-73) */
    FetchReader(Function<TopicPartition, Partition> partitions, Supplier<MetadataImage> image,
                ReplicationQuota leaderQuota) {
        this.partitions = partitions;
        this.image = image;
        this.leaderQuota = leaderQuota;
    }

    /**
     * Whether a follower's fetch of {@code p} gets no records now: the partition is throttled on this leader, the
     * follower is outside the ISR, and the throttled traffic is above {@code leader.replication.throttled.rate}.
     */
    boolean heldBack(Partition p, FetchPartition fp, int replicaId) {
        return replicaId >= 0 && leaderQuota.holdsBack(fp.tp(), p.state().isr().contains(replicaId));
    }

    /** Reads every partition of {@code params} now. */
    List<FetchPartitionData> read(FetchParams params) {
        List<FetchPartitionData> out = new ArrayList<>(params.partitions().size());
        long remaining = params.maxBytes();
        boolean minOneBatch = true;
        for (FetchPartition fp : params.partitions()) {
            Partition p = partitions.apply(fp.tp());
            if (p == null) {
                out.add(missing(fp.tp()));
                continue;
            }
            int limit = (int) Math.max(0, Math.min(fp.maxBytes(), remaining));
            boolean throttled = params.replicaId() >= 0 && leaderQuota.isThrottled(fp.tp())
                    && !p.state().isr().contains(params.replicaId());
            if (throttled && leaderQuota.isQuotaExceeded()) {
                limit = 0;
            }
            FetchPartitionData data = p.read(fp, params.replicaId(), limit, minOneBatch && limit > 0,
                    params.readCommitted());
            if (throttled) {
                leaderQuota.record(data.records().length());
            }
            if (data.records().length() > 0) {
                minOneBatch = false;
                remaining -= data.records().length();
            }
            out.add(data);
        }
        return out;
    }

    /** UNKNOWN_TOPIC_OR_PARTITION when the image lacks the partition, else NOT_LEADER_OR_FOLLOWER. */
    FetchPartitionData missing(TopicPartition tp) {
        TopicImage topic = image.get().topicsByName().get(tp.topic());
        PartitionRegistration reg = topic == null ? null : topic.partition(tp.partition());
        if (reg == null) {
            return FetchPartitionData.error(tp, Errors.UNKNOWN_TOPIC_OR_PARTITION, -1, -1);
        }
        return FetchPartitionData.error(tp, Errors.NOT_LEADER_OR_FOLLOWER, reg.leader(), reg.leaderEpoch());
    }
}
