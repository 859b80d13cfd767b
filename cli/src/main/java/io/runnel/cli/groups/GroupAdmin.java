package io.runnel.cli.groups;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The broker operations {@code runnel consumer-groups} needs, each blocking until the broker answered (bounded by
 * the command's {@code --timeout}). The real implementation ({@link AdminGroupAdmin}) runs them on a kafka-clients
 * {@code Admin}; tests substitute a fake. Failures are thrown as kafka-clients throws them (e.g.
 * {@code GroupNotEmptyException}, {@code TimeoutException}), unwrapped from their futures.
 */
public interface GroupAdmin extends AutoCloseable {

    /** @return the consumer groups (classic and consumer types, protocol type {@code consumer} or none) */
    List<GroupListing> listGroups();

    /**
     * @param groupIds groups to describe
     * @return each group's state, members with their assignments, coordinator; an unknown group is {@code Dead}
     */
    Map<String, ConsumerGroupDescription> describeGroups(Collection<String> groupIds);

    /** @return the group's committed offsets (partitions without one left out) */
    Map<TopicPartition, OffsetAndMetadata> committedOffsets(String groupId);

    /** {@link #listOffsets}: the log start offset (Kafka's ListOffsets {@code EARLIEST_TIMESTAMP}). */
    long EARLIEST = -2L;
    /** {@link #listOffsets}: the log end offset (Kafka's ListOffsets {@code LATEST_TIMESTAMP}). */
    long LATEST = -1L;

    /**
     * @param partitions partitions to look up
     * @param timestamp {@link #EARLIEST}, {@link #LATEST}, or epoch milliseconds: the first offset whose record has
     *     that timestamp or a later one
     * @return the offset per partition; -1 where no record is that recent; partitions the broker could not answer
     *     for (no leader) are left out
     */
    Map<TopicPartition, Long> listOffsets(Collection<TopicPartition> partitions, long timestamp);

    /**
     * @param topics topic names
     * @return each topic's partition count
     * @throws org.apache.kafka.common.errors.UnknownTopicOrPartitionException for a topic that does not exist
     */
    Map<String, Integer> partitionCounts(Collection<String> topics);

    /** Commits {@code offsets} for the (inactive) group. */
    void alterOffsets(String groupId, Map<TopicPartition, OffsetAndMetadata> offsets);

    /** @return per group: null when deleted, else the failure (e.g. {@code GroupNotEmptyException}) */
    Map<String, Throwable> deleteGroups(Collection<String> groupIds);

    /**
     * Deletes the group's offsets of {@code partitions}.
     *
     * @return per partition: null when deleted, else the failure ({@code GroupSubscribedToTopicException}, ...)
     * @throws org.apache.kafka.common.errors.GroupIdNotFoundException and other group-level failures
     */
    Map<TopicPartition, Throwable> deleteOffsets(String groupId, Set<TopicPartition> partitions);

    /** Releases the connection; never throws. */
    @Override
    void close();
}
