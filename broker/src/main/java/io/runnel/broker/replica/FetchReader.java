package io.runnel.broker.replica;

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
 * larger than that is still returned whole (KIP-74), so consumers always make progress. Stateless.
 */
final class FetchReader {
    private final Function<TopicPartition, Partition> partitions;
    private final Supplier<MetadataImage> image;

    FetchReader(Function<TopicPartition, Partition> partitions, Supplier<MetadataImage> image) {
        this.partitions = partitions;
        this.image = image;
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
            FetchPartitionData data = p.read(fp, params.replicaId(), limit, minOneBatch);
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
