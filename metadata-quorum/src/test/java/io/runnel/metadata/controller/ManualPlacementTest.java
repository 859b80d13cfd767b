package io.runnel.metadata.controller;

import static io.runnel.metadata.controller.ControllerFixtures.apply;
import static io.runnel.metadata.controller.ControllerFixtures.brokers;
import static io.runnel.metadata.controller.ControllerFixtures.sequentialIds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.PartitionRegistration;
import io.runnel.metadata.image.TopicImage;
import io.runnel.metadata.record.BrokerIdList;
import io.runnel.metadata.rpc.CreatePartitionsRequest;
import io.runnel.metadata.rpc.CreatePartitionsResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CreateTopics and CreatePartitions with replicas placed by the client, checked as Kafka's controller does. */
class ManualPlacementTest {
    /** Brokers 1..3 unfenced, 4 fenced. */
    private static final MetadataImage IMAGE = brokers(3, 1);

    private static ControllerResult<List<CreateTopicResult>> create(MetadataImage image, CreatableTopic... topics) {
        return TopicCreation.createTopics(image, List.of(topics), 1, (short) 1, sequentialIds(), false);
    }

    private static CreatableTopic manual(String name, List<Integer>... partitions) {
        List<PartitionAssignment> as = new java.util.ArrayList<>();
        for (int p = 0; p < partitions.length; p++) {
            as.add(new PartitionAssignment(p, partitions[p]));
        }
        return CreatableTopic.manual(name, as);
    }

    private static ApiError refusal(CreatableTopic t) {
        ControllerResult<List<CreateTopicResult>> r = create(IMAGE, t);
        assertTrue(r.records().isEmpty(), "nothing is created: " + r.records());
        return r.response().get(0).error();
    }

    @Test
    void createsTheListedReplicasWithLeaderAndIsrFromTheLiveOnes() {
        ControllerResult<List<CreateTopicResult>> r = create(IMAGE, manual("m", List.of(2, 3), List.of(4, 1),
                List.of(3, 2)));
        CreateTopicResult result = r.response().get(0);
        assertEquals(ErrorCode.NONE, result.error().error());
        assertEquals(3, result.numPartitions());
        assertEquals(2, result.replicationFactor());
        TopicImage t = apply(IMAGE, r.records()).topicsByName().get("m");
        assertEquals(new PartitionRegistration(List.of(2, 3), List.of(2, 3), 2, 0, 0), t.partition(0));
        // broker 4 is fenced: not in the ISR, so the first live replica leads
        assertEquals(new PartitionRegistration(List.of(4, 1), List.of(1), 1, 0, 0), t.partition(1));
        assertEquals(new PartitionRegistration(List.of(3, 2), List.of(3, 2), 3, 0, 0), t.partition(2));
    }

    @Test
    void partitionIdsMayComeInAnyOrderButMustBeZeroToNMinusOneOnce() {
        ControllerResult<List<CreateTopicResult>> r = create(IMAGE, CreatableTopic.manual("o", List.of(
                new PartitionAssignment(1, List.of(1)), new PartitionAssignment(0, List.of(2)))));
        assertEquals(ErrorCode.NONE, r.response().get(0).error().error());
        TopicImage t = apply(IMAGE, r.records()).topicsByName().get("o");
        assertEquals(List.of(2), t.partition(0).replicas());
        assertEquals(List.of(1), t.partition(1).replicas());

        ApiError gap = refusal(CreatableTopic.manual("g", List.of(new PartitionAssignment(0, List.of(1)),
                new PartitionAssignment(2, List.of(2)))));
        assertEquals(ErrorCode.INVALID_REPLICA_ASSIGNMENT, gap.error());
        assertTrue(gap.message().contains("consecutive 0-based"), gap.message());
        ApiError twice = refusal(CreatableTopic.manual("d", List.of(new PartitionAssignment(0, List.of(1)),
                new PartitionAssignment(0, List.of(2)))));
        assertEquals(ErrorCode.INVALID_REPLICA_ASSIGNMENT, twice.error());
        assertTrue(twice.message().contains("multiple manual partition assignments for partition 0"),
                twice.message());
    }

    @Test
    void eachFaultIsInvalidReplicaAssignmentNamingIt() {
        Map<CreatableTopic, String> faults = Map.of(
                manual("empty", List.of(1), List.of()), "partition 1 is an empty replica list",
                manual("unknown", List.of(1, 9)), "includes broker 9, but no such broker is registered",
                manual("dup", List.of(2, 1, 2)), "includes broker 2 more than once",
                manual("uneven", List.of(1, 2), List.of(3)), "partition 1 has 1 replica(s), but the partitions "
                        + "before it have 2",
                manual("fenced", List.of(1), List.of(4)), "partition 1 ([4]) are fenced");
        faults.forEach((topic, message) -> {
            ApiError e = refusal(topic);
            assertEquals(ErrorCode.INVALID_REPLICA_ASSIGNMENT, e.error(), topic.name());
            assertTrue(e.message().contains(message), topic.name() + ": " + e.message());
        });
    }

    @Test
    void partitionsAndReplicationFactorMustBeMinusOneWithAssignments() {
        List<PartitionAssignment> as = List.of(new PartitionAssignment(0, List.of(1)));
        ApiError rf = refusal(new CreatableTopic("rf", -1, (short) 1, Map.of(), as));
        assertEquals(ErrorCode.INVALID_REQUEST, rf.error());
        assertTrue(rf.message().contains("replication factor"), rf.message());
        ApiError count = refusal(new CreatableTopic("count", 1, (short) -1, Map.of(), as));
        assertEquals(ErrorCode.INVALID_REQUEST, count.error());
        assertTrue(count.message().contains("number of partitions"), count.message());
        assertEquals(ErrorCode.INVALID_CONFIG, refusal(new CreatableTopic("conf", -1, (short) -1,
                Map.of("retention.mss", "1"), as)).error());
    }

    @Test
    void aRefusedTopicLeavesTheOthersOfTheRequest() {
        ControllerResult<List<CreateTopicResult>> r = create(IMAGE, manual("bad", List.of(9)),
                manual("good", List.of(1, 2)), CreatableTopic.of("auto", 2, 2));
        assertEquals(List.of(ErrorCode.INVALID_REPLICA_ASSIGNMENT, ErrorCode.NONE, ErrorCode.NONE),
                r.response().stream().map(t -> t.error().error()).toList());
        MetadataImage next = apply(IMAGE, r.records());
        assertTrue(!next.topicsByName().containsKey("bad"));
        // the manual partition counts in the load: broker 3, holding nothing yet, leads the first automatic one
        assertEquals(3, next.topicsByName().get("auto").partition(0).leader());
    }

    private static CreatePartitionsRequest grow(String topic, int count, List<Integer>... lists) {
        CreatePartitionsRequest.ManualAssignments.Builder m = CreatePartitionsRequest.ManualAssignments.newBuilder();
        for (List<Integer> l : lists) {
            m.addPartitions(BrokerIdList.newBuilder().addAllIds(l));
        }
        return CreatePartitionsRequest.newBuilder().addTopics(CreatePartitionsRequest.Topic.newBuilder()
                .setName(topic).setCount(count).setAssignments(m)).build();
    }

    @Test
    void createPartitionsTakesOneListPerNewPartition() {
        MetadataImage image = apply(IMAGE, create(IMAGE, manual("t", List.of(1, 2))).records());
        ControllerResult<CreatePartitionsResponse> ok = PartitionCreation.createPartitions(image,
                grow("t", 3, List.of(3, 1), List.of(4, 2)));
        assertEquals(0, ok.response().getTopics(0).getErrorCode(), ok.response().toString());
        TopicImage t = apply(image, ok.records()).topicsByName().get("t");
        assertEquals(new PartitionRegistration(List.of(3, 1), List.of(3, 1), 3, 0, 0), t.partition(1));
        assertEquals(new PartitionRegistration(List.of(4, 2), List.of(2), 2, 0, 0), t.partition(2));

        Map<CreatePartitionsRequest, String> faults = Map.of(
                grow("t", 3, List.of(3, 1)), "by 2 but 1 assignment(s)",
                grow("t", 2, List.of(3)), "partition 1 has 1 replica(s), but the topic's replication factor is 2",
                grow("t", 2, List.of(3, 3)), "includes broker 3 more than once",
                grow("t", 2, List.of(3, 7)), "includes broker 7, but no such broker is registered",
                grow("t", 2, List.of()), "empty replica list");
        faults.forEach((req, message) -> {
            ControllerResult<CreatePartitionsResponse> r = PartitionCreation.createPartitions(image, req);
            assertTrue(r.records().isEmpty(), message);
            CreatePartitionsResponse.Topic out = r.response().getTopics(0);
            assertEquals(ErrorCode.INVALID_REPLICA_ASSIGNMENT.code(), out.getErrorCode(), message);
            assertTrue(out.getErrorMessage().contains(message), out.getErrorMessage());
        });
    }
}
