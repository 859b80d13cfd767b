package io.runnel.broker.handler;

import io.runnel.broker.testing.RawClient;
import io.runnel.broker.testing.TestBroker;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.DescribeQuorumRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without a reachable controller, admin requests are answered (within the controller client's timeout) with
 * NOT_CONTROLLER or REQUEST_TIMED_OUT, never left hanging, and the connection stays usable.
 */
class ControllerUnavailableTest {
    @TempDir
    Path dir;

    @Test
    void requestsNeedingTheControllerGetRetriableErrors() throws Exception {
        Set<Short> expected = Set.of(Errors.NOT_CONTROLLER.code(), Errors.REQUEST_TIMED_OUT.code());
        try (TestBroker broker = TestBroker.start(dir); RawClient c = new RawClient(broker.port())) {
            broker.createTopic("local", 1, Map.of());
            CreateTopicsRequestData d = new CreateTopicsRequestData().setTimeoutMs(30_000);
            d.topics().add(new CreateTopicsRequestData.CreatableTopic().setName("t").setNumPartitions(1)
                    .setReplicationFactor((short) 1));
            short v = 7;
            c.send(AbstractRequest.parseRequest(ApiKeys.CREATE_TOPICS, v,
                    MessageUtil.toByteBufferAccessor(d, v)).request, 1);
            CreateTopicsResponseData r = (CreateTopicsResponseData) c.read(ApiKeys.CREATE_TOPICS, v, 1).data();
            CreateTopicsResponseData.CreatableTopicResult t = r.topics().find("t");
            assertTrue(expected.contains(t.errorCode()), "error " + t.errorCode());
            assertTrue(t.errorMessage() != null && !t.errorMessage().isEmpty());

            short q = 2;
            c.send(new DescribeQuorumRequest.Builder(DescribeQuorumRequest.singletonRequest(
                    new TopicPartition("__cluster_metadata", 0))).build(q), 2);
            DescribeQuorumResponseData qr = (DescribeQuorumResponseData) c.read(ApiKeys.DESCRIBE_QUORUM, q, 2).data();
            assertTrue(expected.contains(qr.errorCode()), "error " + qr.errorCode());
            assertEquals(0, qr.topics().size());
        }
    }
}
