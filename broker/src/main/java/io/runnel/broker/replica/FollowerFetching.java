package io.runnel.broker.replica;

import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.TopicPartition;

import java.util.Map;

/**
 * The follower side of replication, as the replica manager drives it: after every image, the complete set of
 * partitions this broker follows with their current leader and leader epoch. Implementations add, move and drop
 * partitions in their fetchers to match; partitions absent from the map are no longer fetched.
 */
public interface FollowerFetching extends AutoCloseable {
    /** Fetches nothing (a broker without replication, tests). */
    FollowerFetching NONE = new FollowerFetching() {
        @Override
        public void follow(MetadataImage image, Map<TopicPartition, FollowTarget> targets) {
        }

        @Override
        public void close() {
        }
    };

    /**
     * @param image   the image the targets come from (leader endpoints are in its broker registrations)
     * @param targets every followed partition with a live leader; called with the replica manager's lock held, so
     *                it must not block
     */
    void follow(MetadataImage image, Map<TopicPartition, FollowTarget> targets);

    @Override
    void close();

    /**
     * Where a followed partition fetches from.
     *
     * @param leaderId    the leader's broker id
     * @param leaderEpoch the leader epoch sent as {@code current_leader_epoch}
     */
    record FollowTarget(int leaderId, int leaderEpoch) {
    }
}
