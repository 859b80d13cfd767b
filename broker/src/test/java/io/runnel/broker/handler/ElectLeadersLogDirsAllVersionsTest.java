package io.runnel.broker.handler;

import io.runnel.broker.testing.FixedBrokerConfigs;
import io.runnel.broker.testing.QuorumBroker;
import io.runnel.broker.testing.RawClient;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every served version of ElectLeaders (0-2) and DescribeLogDirs (1-4) answered with a response kafka-clients parses,
 * on one broker backed by a one-voter quorum, and their advertised ranges.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ElectLeadersLogDirsAllVersionsTest {
    @TempDir
    static Path dir;
    static QuorumBroker broker;
    static int correlation;

    @BeforeAll
    static void start() throws Exception {
        broker = QuorumBroker.start(dir, Map.of(), FixedBrokerConfigs.TYPICAL);
        CreateTopicsRequestData d = new CreateTopicsRequestData().setTimeoutMs(30_000);
        d.topics().add(new CreateTopicsRequestData.CreatableTopic().setName("v").setNumPartitions(2)
                .setReplicationFactor((short) 1));
        try (RawClient c = new RawClient(broker.port())) {
            roundTrip(c, ApiKeys.CREATE_TOPICS, d, (short) 7);
        }
        QuorumBroker.await("both partitions hosted", () -> broker.server().replicaManager().partitions().size() == 2);
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    static ApiMessage roundTrip(RawClient c, ApiKeys api, ApiMessage body, short version) throws Exception {
        AbstractRequest request = AbstractRequest.parseRequest(api, version,
                MessageUtil.toByteBufferAccessor(body, version)).request;
        int id = ++correlation;
        c.send(request, id);
        return c.read(api, version, id).data();
    }

    @Test
    void advertisedRanges() throws Exception {
        try (RawClient c = new RawClient(broker.port())) {
            int id = ++correlation;
            c.send(new ApiVersionsRequest(new ApiVersionsRequestData().setClientSoftwareName("v")
                    .setClientSoftwareVersion("1"), (short) 3), id);
            ApiVersionsResponseData r = (ApiVersionsResponseData) c.read(ApiKeys.API_VERSIONS, (short) 3, id).data();
            assertEquals(0, r.apiKeys().find(ApiKeys.ELECT_LEADERS.id).minVersion());
            assertEquals(2, r.apiKeys().find(ApiKeys.ELECT_LEADERS.id).maxVersion());
            assertEquals(1, r.apiKeys().find(ApiKeys.DESCRIBE_LOG_DIRS.id).minVersion());
            assertEquals(4, r.apiKeys().find(ApiKeys.DESCRIBE_LOG_DIRS.id).maxVersion());
        }
    }

    @Test
    void everyVersionOfElectLeaders() throws Exception {
        try (RawClient c = new RawClient(broker.port())) {
            for (short v = 0; v <= 2; v++) {
                ElectLeadersRequestData d = new ElectLeadersRequestData().setTimeoutMs(10_000);
                d.topicPartitions().add(new ElectLeadersRequestData.TopicPartitions().setTopic("v")
                        .setPartitions(List.of(0, 1, 9)));
                d.topicPartitions().add(new ElectLeadersRequestData.TopicPartitions().setTopic("nope")
                        .setPartitions(List.of(0)));
                ElectLeadersResponseData r = (ElectLeadersResponseData) roundTrip(c, ApiKeys.ELECT_LEADERS, d, v);
                assertEquals(Errors.NONE.code(), r.errorCode(), "v" + v);
                assertEquals(2, r.replicaElectionResults().size());
                ElectLeadersResponseData.ReplicaElectionResult t = r.replicaElectionResults().get(0);
                assertEquals("v", t.topic());
                assertEquals(List.of(Errors.ELECTION_NOT_NEEDED.code(), Errors.ELECTION_NOT_NEEDED.code(),
                        Errors.UNKNOWN_TOPIC_OR_PARTITION.code()), t.partitionResult().stream()
                        .map(ElectLeadersResponseData.PartitionResult::errorCode).toList(), "v" + v);
                assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), r.replicaElectionResults().get(1)
                        .partitionResult().get(0).errorCode());
                if (v >= 1) {
                    ElectLeadersRequestData unclean = new ElectLeadersRequestData().setTimeoutMs(10_000)
                            .setElectionType((byte) 1).setTopicPartitions(null);
                    ElectLeadersResponseData u = (ElectLeadersResponseData) roundTrip(c, ApiKeys.ELECT_LEADERS,
                            unclean, v);
                    assertEquals(Errors.NONE.code(), u.errorCode());
                    assertTrue(u.replicaElectionResults().stream().allMatch(x -> x.partitionResult().isEmpty()),
                            "every partition has a leader: nothing to answer");
                    ElectLeadersResponseData bad = (ElectLeadersResponseData) roundTrip(c, ApiKeys.ELECT_LEADERS,
                            unclean.duplicate().setElectionType((byte) 7), v);
                    assertEquals(Errors.INVALID_REQUEST.code(), bad.errorCode(), "unknown election type");
                }
            }
        }
    }

    @Test
    void everyVersionOfDescribeLogDirs() throws Exception {
        String logDir = dir.resolve("logs").toAbsolutePath().toString();
        try (RawClient c = new RawClient(broker.port())) {
            for (short v = 1; v <= 4; v++) {
                DescribeLogDirsResponseData all = (DescribeLogDirsResponseData) roundTrip(c,
                        ApiKeys.DESCRIBE_LOG_DIRS, new DescribeLogDirsRequestData().setTopics(null), v);
                assertEquals(1, all.results().size(), "v" + v);
                DescribeLogDirsResponseData.DescribeLogDirsResult d = all.results().get(0);
                assertEquals(logDir, d.logDir());
                assertEquals(Errors.NONE.code(), d.errorCode());
                assertEquals(1, d.topics().size());
                assertEquals(List.of(0, 1), d.topics().get(0).partitions().stream()
                        .map(DescribeLogDirsResponseData.DescribeLogDirsPartition::partitionIndex).toList());
                if (v >= 4) {
                    assertTrue(d.totalBytes() > 0 && d.usableBytes() > 0 && d.usableBytes() <= d.totalBytes());
                }
                DescribeLogDirsRequestData some = new DescribeLogDirsRequestData();
                some.topics().add(new DescribeLogDirsRequestData.DescribableLogDirTopic().setTopic("v")
                        .setPartitions(List.of(1, 5)));
                some.topics().add(new DescribeLogDirsRequestData.DescribableLogDirTopic().setTopic("nope")
                        .setPartitions(List.of(0)));
                DescribeLogDirsResponseData one = (DescribeLogDirsResponseData) roundTrip(c,
                        ApiKeys.DESCRIBE_LOG_DIRS, some, v);
                DescribeLogDirsResponseData.DescribeLogDirsResult r = one.results().get(0);
                assertEquals(1, r.topics().size(), "topics with no hosted partition are left out");
                assertEquals(1, r.topics().get(0).partitions().size());
                assertEquals(1, r.topics().get(0).partitions().get(0).partitionIndex());
                assertEquals(0, r.topics().get(0).partitions().get(0).offsetLag());
                DescribeLogDirsRequestData nothing = new DescribeLogDirsRequestData();
                assertTrue(((DescribeLogDirsResponseData) roundTrip(c, ApiKeys.DESCRIBE_LOG_DIRS, nothing, v))
                        .results().get(0).topics().isEmpty(), "an empty topic list asks for nothing");
            }
        }
    }
}
