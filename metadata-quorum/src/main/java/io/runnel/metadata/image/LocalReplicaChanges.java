package io.runnel.metadata.image;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What a new image changed for one node's replicas (KRaft's {@code LocalReplicaChanges}): partitions whose
 * registration changed and that the node now leads or follows, and partitions it no longer hosts. A pure function of
 * (previous image, next image, node id); partitions whose registration is unchanged are not listed. After a snapshot
 * load {@code previous} may be unrelated to {@code next}: every differing partition is then reported, which is the
 * right thing for a node re-synchronizing. Lists are sorted by topic-partition. Immutable.
 *
 * @param leaders   partitions this node leads after the change (with the new leader epoch in the registration)
 * @param followers partitions it follows (the registration names the leader, -1 when offline, and its epoch)
 * @param removed   partitions that no longer list it as a replica, or whose topic was deleted
 */
public record LocalReplicaChanges(int nodeId, List<Leader> leaders, List<Follower> followers, List<Removed> removed) {
    /** A partition this node leads: {@code registration().leaderEpoch()} is the epoch to lead with. */
    public record Leader(TopicPartition partition, UUID topicId, PartitionRegistration registration) {
        public int leaderEpoch() {
            return registration.leaderEpoch();
        }
    }

    /** A partition this node follows: fetch from {@link #leaderId()} (-1 = no leader) at {@link #leaderEpoch()}. */
    public record Follower(TopicPartition partition, UUID topicId, PartitionRegistration registration) {
        public int leaderId() {
            return registration.leader();
        }

        public int leaderEpoch() {
            return registration.leaderEpoch();
        }
    }

    /** A partition this node must stop hosting; {@code topicDeleted} when the whole topic is gone. */
    public record Removed(TopicPartition partition, UUID topicId, boolean topicDeleted) {
    }

    public LocalReplicaChanges {
        leaders = List.copyOf(leaders);
        followers = List.copyOf(followers);
        removed = List.copyOf(removed);
    }

    /** Nothing changed for the node. */
    public boolean isEmpty() {
        return leaders.isEmpty() && followers.isEmpty() && removed.isEmpty();
    }

    public static LocalReplicaChanges compute(MetadataImage previous, MetadataImage next, int nodeId) {
        List<Leader> leaders = new ArrayList<>();
        List<Follower> followers = new ArrayList<>();
        List<Removed> removed = new ArrayList<>();
        for (TopicImage t : next.topicsById().values()) {
            TopicImage before = previous.topicsById().get(t.id());
            t.partitions().forEach((id, p) -> {
                PartitionRegistration old = before == null ? null : before.partition(id);
                if (Objects.equals(old, p)) {
                    return;
                }
                TopicPartition tp = new TopicPartition(t.name(), id);
                if (p.replicas().contains(nodeId)) {
                    if (p.leader() == nodeId) {
                        leaders.add(new Leader(tp, t.id(), p));
                    } else {
                        followers.add(new Follower(tp, t.id(), p));
                    }
                } else if (old != null && old.replicas().contains(nodeId)) {
                    removed.add(new Removed(tp, t.id(), false));
                }
            });
        }
        for (TopicImage t : previous.topicsById().values()) {
            if (!next.topicsById().containsKey(t.id())) {
                t.partitions().forEach((id, p) -> {
                    if (p.replicas().contains(nodeId)) {
                        removed.add(new Removed(new TopicPartition(t.name(), id), t.id(), true));
                    }
                });
            }
        }
        leaders.sort(Comparator.comparing(Leader::partition));
        followers.sort(Comparator.comparing(Follower::partition));
        removed.sort(Comparator.comparing(Removed::partition).thenComparing(r -> r.topicId().toString()));
        return new LocalReplicaChanges(nodeId, leaders, followers, removed);
    }
}
