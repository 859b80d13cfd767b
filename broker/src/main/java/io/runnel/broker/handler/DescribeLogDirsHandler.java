package io.runnel.broker.handler;

import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.replica.Partition;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopic;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeLogDirs (key 35, v1-4, v2 flexible; KIP-113, KIP-827 for the v4 space fields), answered by this broker
 * alone: one result per distinct directory of {@code log.dirs}, named by its absolute path, listing the replicas
 * hosted there (leaders and followers) grouped by topic, in topic and partition order. Per replica:
 * {@code partition_size} = bytes of the replica's segment files (the batches of every segment, indexes not
 * counted); {@code offset_lag} = Kafka's definition for a current (non-future) log, {@code max(high watermark - log
 * end offset, 0)} of this replica's own log, hence 0 for a leader and for a follower that holds what its high
 * watermark covers; {@code is_future_key} always false (Runnel never moves replicas between log dirs). v4 adds
 * {@code total_bytes} and {@code usable_bytes} of the directory's file store (Long.MAX_VALUE when the JDK reports a
 * negative size, JDK-8162520). A null topic list asks for every replica; otherwise only the listed partitions
 * hosted here are answered, and topics with none are left out. A directory whose file store cannot be read is
 * answered KAFKA_STORAGE_ERROR (56) without topics. The top-level error code (v3+) is NONE: Runnel has no ACLs.
 */
public final class DescribeLogDirsHandler implements ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DescribeLogDirsHandler.class);
    private final List<Path> logDirs;
    private final ReplicaManager replicas;

    /** @param logDirs {@code log.dirs}, as configured (duplicates are answered once) */
    public DescribeLogDirsHandler(List<Path> logDirs, ReplicaManager replicas) {
        Set<Path> distinct = new LinkedHashSet<>();
        logDirs.forEach(d -> distinct.add(d.toAbsolutePath().normalize()));
        this.logDirs = List.copyOf(distinct);
        this.replicas = replicas;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_LOG_DIRS;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        DescribeLogDirsRequestData data = (DescribeLogDirsRequestData) request.body();
        Set<TopicPartition> wanted = null;
        if (data.topics() != null) {
            wanted = new HashSet<>();
            for (DescribableLogDirTopic t : data.topics()) {
                for (int p : t.partitions()) {
                    wanted.add(new TopicPartition(t.topic(), p));
                }
            }
        }
        DescribeLogDirsResponseData response = new DescribeLogDirsResponseData().setThrottleTimeMs(0)
                .setErrorCode(Errors.NONE.code());
        Map<TopicPartition, Partition> hosted = replicas.partitions();
        for (Path dir : logDirs) {
            response.results().add(describe(dir, hosted, wanted, request.version()));
        }
        return CompletableFuture.completedFuture(ApiResponse.send(response));
    }

    private static DescribeLogDirsResult describe(Path dir, Map<TopicPartition, Partition> hosted,
                                                  Set<TopicPartition> wanted, short version) {
        DescribeLogDirsResult result = new DescribeLogDirsResult().setLogDir(dir.toString());
        long total;
        long usable;
        try {
            FileStore store = Files.getFileStore(dir);
            total = nonNegative(store.getTotalSpace());
            usable = nonNegative(store.getUsableSpace());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot describe log directory {}: {}", dir, e.toString());
            return result.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
        }
        Map<String, Map<Integer, DescribeLogDirsPartition>> byTopic = new TreeMap<>();
        for (Map.Entry<TopicPartition, Partition> e : hosted.entrySet()) {
            TopicPartition tp = e.getKey();
            if (wanted != null && !wanted.contains(tp)) {
                continue;
            }
            Path parent = e.getValue().log().dir().toAbsolutePath().normalize().getParent();
            if (!dir.equals(parent)) {
                continue;
            }
            Partition p = e.getValue();
            byTopic.computeIfAbsent(tp.topic(), k -> new TreeMap<>()).put(tp.partition(),
                    new DescribeLogDirsPartition().setPartitionIndex(tp.partition())
                            .setPartitionSize(p.log().sizeInBytes())
                            .setOffsetLag(Math.max(p.highWatermark() - p.logEndOffset(), 0))
                            .setIsFutureKey(false));
        }
        List<DescribeLogDirsTopic> topics = new ArrayList<>();
        byTopic.forEach((name, partitions) -> topics.add(new DescribeLogDirsTopic().setName(name)
                .setPartitions(new ArrayList<>(partitions.values()))));
        result.setErrorCode(Errors.NONE.code()).setTopics(topics);
        if (version >= 4) {
            result.setTotalBytes(total).setUsableBytes(usable);
        }
        return result;
    }

    private static long nonNegative(long bytes) {
        return bytes < 0 ? Long.MAX_VALUE : bytes;
    }
}
