package io.runnel.cli.groups;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.MemberAssignment;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * An in-memory cluster for {@code consumer-groups}: topics with log start and end offsets and a timestamp index,
 * groups with a state, members and committed offsets. Records the calls that change something.
 */
class FakeGroupAdmin implements GroupAdmin {
    static final Node COORDINATOR = new Node(1, "localhost", 9092);

    record Member(String id, String instanceId, String clientId, String host, List<TopicPartition> owned) {
    }

    final Map<String, Integer> partitions = new TreeMap<>();
    final Map<TopicPartition, Long> starts = new HashMap<>();
    final Map<TopicPartition, Long> ends = new HashMap<>();
    /** Per partition: the offset of the first record at or after a timestamp is the timestamp / 1000. */
    final Map<String, GroupState> states = new TreeMap<>();
    final Map<String, List<Member>> members = new HashMap<>();
    final Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    boolean closed;
    int timeoutMs;

    void topic(String name, int count, long start, long end) {
        partitions.put(name, count);
        for (int p = 0; p < count; p++) {
            starts.put(new TopicPartition(name, p), start);
            ends.put(new TopicPartition(name, p), end);
        }
    }

    void group(String id, GroupState state, Member... ms) {
        states.put(id, state);
        members.put(id, List.of(ms));
    }

    void commit(String group, String topic, int partition, long offset) {
        committed.computeIfAbsent(group, g -> new HashMap<>()).put(new TopicPartition(topic, partition),
                new OffsetAndMetadata(offset, Optional.of(4), ""));
    }

    @Override
    public List<GroupListing> listGroups() {
        List<GroupListing> out = new ArrayList<>();
        states.forEach((id, s) -> out.add(new GroupListing(id, Optional.of(GroupType.CLASSIC), "consumer",
                Optional.of(s))));
        return out;
    }

    @Override
    public Map<String, ConsumerGroupDescription> describeGroups(Collection<String> groupIds) {
        Map<String, ConsumerGroupDescription> out = new LinkedHashMap<>();
        for (String id : groupIds) {
            List<MemberDescription> ms = new ArrayList<>();
            for (Member m : members.getOrDefault(id, List.of())) {
                ms.add(new MemberDescription(m.id(), Optional.ofNullable(m.instanceId()), m.clientId(), m.host(),
                        new MemberAssignment(Set.copyOf(m.owned()))));
            }
            GroupState s = states.getOrDefault(id, GroupState.DEAD);
            out.put(id, new ConsumerGroupDescription(id, false, ms, s == GroupState.STABLE ? "range" : "",
                    GroupType.CLASSIC, s, COORDINATOR, null, Optional.empty(), Optional.empty()));
        }
        return out;
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> committedOffsets(String groupId) {
        return new HashMap<>(committed.getOrDefault(groupId, Map.of()));
    }

    @Override
    public Map<TopicPartition, Long> listOffsets(Collection<TopicPartition> ps, long timestamp) {
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : ps) {
            if (!ends.containsKey(tp)) {
                continue;
            }
            if (timestamp == EARLIEST) {
                out.put(tp, starts.get(tp));
            } else if (timestamp == LATEST) {
                out.put(tp, ends.get(tp));
            } else {
                long o = Math.max(starts.get(tp), timestamp / 1000);
                out.put(tp, o >= ends.get(tp) ? -1 : o);
            }
        }
        return out;
    }

    @Override
    public Map<String, Integer> partitionCounts(Collection<String> topics) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String t : topics) {
            Integer n = partitions.get(t);
            if (n == null) {
                throw new UnknownTopicOrPartitionException("This server does not host this topic-partition.");
            }
            out.put(t, n);
        }
        return out;
    }

    @Override
    public void alterOffsets(String groupId, Map<TopicPartition, OffsetAndMetadata> offsets) {
        calls.add("alterOffsets " + groupId + " " + new TreeMap<>(offsets.entrySet().stream().collect(
                java.util.stream.Collectors.toMap(e -> e.getKey().toString(), e -> e.getValue().offset()))));
        offsets.forEach((tp, o) -> committed.computeIfAbsent(groupId, g -> new HashMap<>()).put(tp, o));
        states.putIfAbsent(groupId, GroupState.EMPTY);
    }

    @Override
    public Map<String, Throwable> deleteGroups(Collection<String> groupIds) {
        Map<String, Throwable> out = new LinkedHashMap<>();
        for (String id : groupIds) {
            GroupState s = states.get(id);
            if (s == null) {
                out.put(id, new GroupIdNotFoundException("The group id does not exist."));
            } else if (s != GroupState.EMPTY) {
                out.put(id, new GroupNotEmptyException("The group is not empty."));
            } else {
                calls.add("deleteGroup " + id);
                states.remove(id);
                committed.remove(id);
                out.put(id, null);
            }
        }
        return out;
    }

    @Override
    public Map<TopicPartition, Throwable> deleteOffsets(String groupId, Set<TopicPartition> ps) {
        if (!states.containsKey(groupId)) {
            throw new GroupIdNotFoundException("The group id does not exist.");
        }
        Map<TopicPartition, Throwable> out = new LinkedHashMap<>();
        for (TopicPartition tp : ps) {
            boolean subscribed = members.getOrDefault(groupId, List.of()).stream()
                    .anyMatch(m -> m.owned().stream().anyMatch(o -> o.topic().equals(tp.topic())));
            if (subscribed) {
                out.put(tp, new GroupSubscribedToTopicException("The consumer group is actively subscribed to the "
                        + "topic"));
            } else {
                calls.add("deleteOffset " + groupId + " " + tp);
                committed.getOrDefault(groupId, new HashMap<>()).remove(tp);
                out.put(tp, null);
            }
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
    }
}
