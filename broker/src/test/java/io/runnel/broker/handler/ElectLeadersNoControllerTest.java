package io.runnel.broker.handler;

import io.runnel.broker.testing.RawClient;
import io.runnel.broker.testing.TestBroker;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without a reachable controller, ElectLeaders is answered with a retriable error (NOT_CONTROLLER or
 * REQUEST_TIMED_OUT): at the top level from v1, on every requested partition at v0, which has no top-level code.
 */
class ElectLeadersNoControllerTest {
    @TempDir
    Path dir;

    @Test
    void withoutAControllerTheErrorIsRetriable() throws Exception {
        Set<Short> expected = Set.of(Errors.NOT_CONTROLLER.code(), Errors.REQUEST_TIMED_OUT.code());
        try (TestBroker broker = TestBroker.start(dir); RawClient c = new RawClient(broker.port())) {
            int id = 0;
            for (short v : new short[] {0, 2}) {
                ElectLeadersRequestData d = new ElectLeadersRequestData().setTimeoutMs(5_000);
                d.topicPartitions().add(new ElectLeadersRequestData.TopicPartitions().setTopic("t")
                        .setPartitions(List.of(0, 1)));
                c.send(AbstractRequest.parseRequest(ApiKeys.ELECT_LEADERS, v, MessageUtil.toByteBufferAccessor(d, v))
                        .request, ++id);
                ElectLeadersResponseData r = (ElectLeadersResponseData) c.read(ApiKeys.ELECT_LEADERS, v, id).data();
                if (v == 0) {
                    assertEquals(2, r.replicaElectionResults().get(0).partitionResult().size());
                    r.replicaElectionResults().get(0).partitionResult().forEach(p -> assertTrue(
                            expected.contains(p.errorCode()), "v0 error " + p.errorCode()));
                } else {
                    assertTrue(expected.contains(r.errorCode()), "v2 error " + r.errorCode());
                }
            }
        }
    }
}
