package io.runnel.cli.groups;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DeleteConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.DeleteConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.DeleteConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/** {@link GroupAdmin} on a kafka-clients {@link Admin}; every call carries the command's timeout. */
public final class AdminGroupAdmin implements GroupAdmin {

    private final Admin admin;
    private final int timeoutMs;

    /**
     * @param admin the client (closed with this object)
     * @param timeoutMs {@code --timeout}: how long each call may take, milliseconds
     */
    public AdminGroupAdmin(Admin admin, int timeoutMs) {
        this.admin = admin;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public List<GroupListing> listGroups() {
        return get(admin.listGroups(ListGroupsOptions.forConsumerGroups().timeoutMs(timeoutMs)).all()).stream()
                .toList();
    }

    @Override
    public Map<String, ConsumerGroupDescription> describeGroups(Collection<String> groupIds) {
        return get(admin.describeConsumerGroups(groupIds, new DescribeConsumerGroupsOptions().timeoutMs(timeoutMs))
                .all());
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> committedOffsets(String groupId) {
        Map<TopicPartition, OffsetAndMetadata> all = get(admin.listConsumerGroupOffsets(groupId,
                new ListConsumerGroupOffsetsOptions().timeoutMs(timeoutMs)).partitionsToOffsetAndMetadata());
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        all.forEach((tp, o) -> {
            if (o != null) {
                committed.put(tp, o);
            }
        });
        return committed;
    }

    @Override
    public Map<TopicPartition, Long> listOffsets(Collection<TopicPartition> partitions, long timestamp) {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        OffsetSpec spec = timestamp == EARLIEST ? OffsetSpec.earliest() : timestamp == LATEST ? OffsetSpec.latest()
                : OffsetSpec.forTimestamp(timestamp);
        ListOffsetsResult result = admin.listOffsets(partitions.stream().distinct()
                .collect(Collectors.toMap(Function.identity(), tp -> spec)), new ListOffsetsOptions()
                .timeoutMs(timeoutMs));
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : partitions) {
            try {
                out.put(tp, result.partitionResult(tp).get().offset());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException t) {
                    throw t;
                }
                // no leader or not available: left out, shown as unknown
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new org.apache.kafka.common.errors.InterruptException(e);
            }
        }
        return out;
    }

    @Override
    public Map<String, Integer> partitionCounts(Collection<String> topics) {
        Map<String, Integer> out = new LinkedHashMap<>();
        get(admin.describeTopics(topics, new DescribeTopicsOptions().timeoutMs(timeoutMs)).allTopicNames())
                .forEach((name, d) -> out.put(name, d.partitions().size()));
        return out;
    }

    @Override
    public void alterOffsets(String groupId, Map<TopicPartition, OffsetAndMetadata> offsets) {
        get(admin.alterConsumerGroupOffsets(groupId, offsets, new AlterConsumerGroupOffsetsOptions()
                .timeoutMs(timeoutMs)).all());
    }

    @Override
    public Map<String, Throwable> deleteGroups(Collection<String> groupIds) {
        Map<String, KafkaFuture<Void>> each = admin.deleteConsumerGroups(groupIds, new DeleteConsumerGroupsOptions()
                .timeoutMs(timeoutMs)).deletedGroups();
        Map<String, Throwable> out = new LinkedHashMap<>();
        each.forEach((group, f) -> out.put(group, failure(f)));
        return out;
    }

    @Override
    public Map<TopicPartition, Throwable> deleteOffsets(String groupId, Set<TopicPartition> partitions) {
        DeleteConsumerGroupOffsetsResult result = admin.deleteConsumerGroupOffsets(groupId, partitions,
                new DeleteConsumerGroupOffsetsOptions().timeoutMs(timeoutMs));
        Throwable top = failure(result.all());
        Map<TopicPartition, Throwable> out = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            Throwable t = failure(result.partitionResult(tp));
            if (t != null && t == top && isGroupLevel(t)) {
                throw asRuntime(t);
            }
            out.put(tp, t);
        }
        if (partitions.isEmpty() && top != null) {
            throw asRuntime(top);
        }
        return out;
    }

    private static boolean isGroupLevel(Throwable t) {
        return t instanceof org.apache.kafka.common.errors.GroupIdNotFoundException
                || t instanceof org.apache.kafka.common.errors.GroupNotEmptyException
                || t instanceof org.apache.kafka.common.errors.InvalidGroupIdException
                || t instanceof org.apache.kafka.common.errors.TimeoutException;
    }

    private static RuntimeException asRuntime(Throwable t) {
        return t instanceof RuntimeException r ? r : new org.apache.kafka.common.KafkaException(t);
    }

    /** The future's failure, or null when it succeeded. */
    private static Throwable failure(KafkaFuture<?> f) {
        try {
            f.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    private static <T> T get(KafkaFuture<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw asRuntime(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.InterruptException(e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
