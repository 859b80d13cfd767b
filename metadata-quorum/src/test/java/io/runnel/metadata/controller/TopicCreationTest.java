package io.runnel.metadata.controller;

import static io.runnel.metadata.controller.ControllerFixtures.apply;
import static io.runnel.metadata.controller.ControllerFixtures.brokers;
import static io.runnel.metadata.controller.ControllerFixtures.sequentialIds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.PartitionRegistration;
import io.runnel.metadata.image.TopicImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicCreationTest {
    private static ControllerResult<List<CreateTopicResult>> create(MetadataImage image, CreatableTopic... topics) {
        return TopicCreation.createTopics(image, List.of(topics), 1, (short) 1, sequentialIds(), false);
    }

    private static ErrorCode error(MetadataImage image, CreatableTopic topic) {
        return create(image, topic).response().get(0).error().error();
    }

    @Test
    void createsTopicPartitionsAndConfigsThatReplayOntoTheImage() {
        MetadataImage image = brokers(3, 0);
        ControllerResult<List<CreateTopicResult>> r = create(image,
                new CreatableTopic("orders", 6, (short) 3, Map.of("retention.ms", "1000")));
        CreateTopicResult result = r.response().get(0);
        assertEquals(ErrorCode.NONE, result.error().error());
        assertEquals(6, result.numPartitions());
        MetadataImage next = apply(image, r.records());
        TopicImage t = next.topicsByName().get("orders");
        assertEquals(result.topicId(), t.id());
        assertEquals(6, t.partitions().size());
        for (PartitionRegistration p : t.partitions().values()) {
            assertEquals(3, p.replicas().size());
            assertEquals(p.replicas(), p.isr());
            assertEquals(p.replicas().get(0), p.leader());
        }
        assertEquals(Map.of("retention.ms", "1000"), next.configs().values().iterator().next());
    }

    @Test
    void defaultsApplyForMinusOne() {
        ControllerResult<List<CreateTopicResult>> r = TopicCreation.createTopics(brokers(3, 0),
                List.of(CreatableTopic.of("t", -1, -1)), 4, (short) 2, sequentialIds(), false);
        assertEquals(4, r.response().get(0).numPartitions());
        assertEquals(2, r.response().get(0).replicationFactor());
    }

    @Test
    void kafkasValidationErrors() {
        MetadataImage image = brokers(2, 1);
        for (String bad : List.of("", ".", "..", "a b", "ä", "x".repeat(250), "a/b")) {
            assertEquals(ErrorCode.INVALID_TOPIC_EXCEPTION, error(image, CreatableTopic.of(bad, 1, 1)), bad);
        }
        assertEquals(ErrorCode.NONE, error(image, CreatableTopic.of("x".repeat(249), 1, 1)));
        assertEquals(ErrorCode.NONE, error(image, CreatableTopic.of("a.B_c-9", 1, 1)));
        assertEquals(ErrorCode.INVALID_PARTITIONS, error(image, CreatableTopic.of("t", 0, 1)));
        assertEquals(ErrorCode.INVALID_REPLICATION_FACTOR, error(image, CreatableTopic.of("t", 1, 0)));
        // two live brokers; the fenced third does not count
        assertEquals(ErrorCode.INVALID_REPLICATION_FACTOR, error(image, CreatableTopic.of("t", 1, 3)));
        MetadataImage withTopic = apply(image, create(image, CreatableTopic.of("t", 1, 1)).records());
        assertEquals(ErrorCode.TOPIC_ALREADY_EXISTS, error(withTopic, CreatableTopic.of("t", 1, 1)));
    }

    @Test
    void oneBadTopicDoesNotStopTheOthersAndDuplicatesAreRejected() {
        ControllerResult<List<CreateTopicResult>> r = create(brokers(1, 0), CreatableTopic.of("good", 2, 1),
                CreatableTopic.of("bad!", 1, 1), CreatableTopic.of("dup", 1, 1), CreatableTopic.of("dup", 1, 1));
        assertEquals(List.of(ErrorCode.NONE, ErrorCode.INVALID_TOPIC_EXCEPTION, ErrorCode.INVALID_REQUEST,
                ErrorCode.INVALID_REQUEST), r.response().stream().map(t -> t.error().error()).toList());
        assertEquals(1 + 2, r.records().size());
    }

    @Test
    void validateOnlyWritesNothing() {
        ControllerResult<List<CreateTopicResult>> r = TopicCreation.createTopics(brokers(1, 0),
                List.of(CreatableTopic.of("t", 1, 1)), 1, (short) 1, sequentialIds(), true);
        assertTrue(r.records().isEmpty());
        assertEquals(ErrorCode.NONE, r.response().get(0).error().error());
    }
}
