package io.runnel.broker.handler;

import io.runnel.broker.testing.Images;
import io.runnel.broker.testing.RawClient;
import io.runnel.broker.testing.TestBroker;
import io.runnel.metadata.image.Uuids;
import io.runnel.metadata.record.BrokerEndpoint;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.RegisterBrokerRecord;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.DescribeClusterRequest;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.ProduceRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every handler answers every served version with a response kafka-clients parses, errors included: the handlers
 * fill fields per version (generated {@code write()} rejects fields a version lacks, which would close the
 * connection). All on one connection, which must stay open.
 */
class AllVersionsTest {
    @TempDir
    static Path dir;
    static TestBroker broker;
    static int correlation;

    @BeforeAll
    static void start() {
        broker = TestBroker.start(dir);
        broker.createTopic("v", 1, Map.of());
        MetadataRecord racked = MetadataRecord.newBuilder().setRegisterBroker(RegisterBrokerRecord.newBuilder()
                .setBrokerId(2).setIncarnationId(Uuids.toProto(new UUID(8, 2))).setBrokerEpoch(2).setRack("rack-b")
                .addEndpoints(BrokerEndpoint.newBuilder().setListenerName("PLAINTEXT").setHost("127.0.0.2")
                        .setPort(9999).setSecurityProtocol("PLAINTEXT"))).build();
        UUID elsewhere = UUID.randomUUID();
        broker.publish(List.of(racked, Images.topic("elsewhere", elsewhere),
                Images.partition(elsewhere, 0, List.of(2), 2, 3)));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    static AbstractResponse roundTrip(RawClient c, AbstractRequest request) throws Exception {
        int id = ++correlation;
        c.send(request, id);
        return c.read(request.apiKey(), request.version(), id);
    }

    static AbstractRequest request(ApiKeys api, ApiMessage body, short version) {
        return AbstractRequest.parseRequest(api, version, MessageUtil.toByteBufferAccessor(body, version)).request;
    }

    static ProduceResponseData.TopicProduceResponse topic(ProduceResponseData r, String name) {
        return r.responses().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    static MemoryRecords records() {
        return MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(System.currentTimeMillis(),
                "k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void everyServedVersionOfEveryApiIsAnswered() throws Exception {
        try (RawClient c = new RawClient(broker.port())) {
            for (short v = 0; v <= 4; v++) {
                ApiVersionsRequestData d = new ApiVersionsRequestData();
                if (v >= 3) {
                    d.setClientSoftwareName("all-versions").setClientSoftwareVersion("1.0");
                }
                ApiVersionsResponseData r = (ApiVersionsResponseData) roundTrip(c, new ApiVersionsRequest(d, v)).data();
                assertEquals(Errors.NONE.code(), r.errorCode(), "ApiVersions v" + v);
            }
            for (short v = 0; v <= 12; v++) {
                List<MetadataRequestData.MetadataRequestTopic> topics = new ArrayList<>();
                for (String t : List.of("v", "elsewhere", "missing")) {
                    topics.add(new MetadataRequestData.MetadataRequestTopic().setName(t));
                }
                MetadataRequestData d = new MetadataRequestData().setTopics(topics);
                if (v >= 4) {
                    d.setAllowAutoTopicCreation(false);
                }
                MetadataResponseData r = (MetadataResponseData) roundTrip(c, new MetadataRequest(d, v)).data();
                assertEquals(2, r.brokers().size(), "Metadata v" + v);
                assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), r.topics().find("missing").errorCode());
                assertEquals(2, r.topics().find("elsewhere").partitions().get(0).leaderId());
                if (v >= 1) {
                    MetadataResponseData all = (MetadataResponseData) roundTrip(c,
                            new MetadataRequest(new MetadataRequestData().setTopics(null), v)).data();
                    assertEquals(2, all.topics().size());
                }
            }
            for (short v = 3; v <= 12; v++) {
                ProduceRequestData d = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000);
                for (String t : List.of("v", "missing", "elsewhere")) {
                    ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName(t);
                    topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
                            .setRecords(records()));
                    d.topicData().add(topic);
                }
                ProduceResponseData r = (ProduceResponseData) roundTrip(c, new ProduceRequest(d, v)).data();
                assertEquals(Errors.NONE.code(), topic(r, "v").partitionResponses().get(0).errorCode());
                assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                        topic(r, "missing").partitionResponses().get(0).errorCode());
                assertEquals(Errors.NOT_LEADER_OR_FOLLOWER.code(),
                        topic(r, "elsewhere").partitionResponses().get(0).errorCode());
            }
            for (short v = 4; v <= 12; v++) {
                FetchRequestData d = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1)
                        .setMaxBytes(1 << 20).setSessionEpoch(-1);
                d.topics().add(new FetchRequestData.FetchTopic().setTopic("v").setPartitions(List.of(
                        new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0)
                                .setPartitionMaxBytes(1 << 20),
                        new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(10_000)
                                .setPartitionMaxBytes(1 << 20))));
                d.topics().add(new FetchRequestData.FetchTopic().setTopic("elsewhere").setPartitions(List.of(
                        new FetchRequestData.FetchPartition().setPartition(0).setPartitionMaxBytes(100))));
                FetchResponseData r = (FetchResponseData) roundTrip(c, new FetchRequest(d, v)).data();
                FetchResponseData.PartitionData ok = r.responses().get(0).partitions().get(0);
                assertEquals(Errors.NONE.code(), ok.errorCode(), "Fetch v" + v);
                assertTrue(ok.records().sizeInBytes() > 0);
                assertEquals(Errors.OFFSET_OUT_OF_RANGE.code(), r.responses().get(0).partitions().get(1).errorCode());
                assertEquals(Errors.NOT_LEADER_OR_FOLLOWER.code(), r.responses().get(1).partitions().get(0).errorCode());
                if (v >= 7) {
                    d.setSessionId(42);
                    FetchResponseData refused = (FetchResponseData) roundTrip(c, new FetchRequest(d, v)).data();
                    assertEquals(Errors.FETCH_SESSION_ID_NOT_FOUND.code(), refused.errorCode());
                }
                d.setSessionId(0).setReplicaId(5);
                roundTrip(c, new FetchRequest(d, v));
            }
            for (short v = 1; v <= 7; v++) {
                ListOffsetsRequestData d = new ListOffsetsRequestData().setReplicaId(-1);
                List<ListOffsetsRequestData.ListOffsetsPartition> ps = new ArrayList<>();
                ps.add(new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0).setTimestamp(-1));
                ListOffsetsRequestData.ListOffsetsTopic t = new ListOffsetsRequestData.ListOffsetsTopic().setName("v")
                        .setPartitions(ps);
                d.topics().add(t);
                d.topics().add(new ListOffsetsRequestData.ListOffsetsTopic().setName("elsewhere").setPartitions(List.of(
                        new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0).setTimestamp(-2))));
                ListOffsetsResponseData r = (ListOffsetsResponseData) roundTrip(c, request(ApiKeys.LIST_OFFSETS, d, v)).data();
                assertTrue(r.topics().get(0).partitions().get(0).offset() > 0, "ListOffsets v" + v);
                assertEquals(Errors.NOT_LEADER_OR_FOLLOWER.code(), r.topics().get(1).partitions().get(0).errorCode());
            }
            for (short v = 0; v <= 5; v++) {
                InitProducerIdRequestData d = new InitProducerIdRequestData().setTransactionalId(null)
                        .setTransactionTimeoutMs(60_000);
                InitProducerIdResponseData r = (InitProducerIdResponseData) roundTrip(c,
                        new InitProducerIdRequest.Builder(d).build(v)).data();
                assertEquals(Errors.NONE.code(), r.errorCode());
                assertTrue(r.producerId() >= 1000);
                // "tx" is placed on broker 2 (registered, not running here): this broker is not its coordinator
                assertEquals(2, io.runnel.broker.group.CoordinatorPlacement.over(1, 2).coordinator("tx").getAsInt());
                InitProducerIdResponseData txn = (InitProducerIdResponseData) roundTrip(c,
                        new InitProducerIdRequest.Builder(d.duplicate().setTransactionalId("tx")).build(v)).data();
                assertEquals(Errors.NOT_COORDINATOR.code(), txn.errorCode());
            }
            for (short v = 0; v <= 1; v++) {
                DescribeClusterResponseData r = (DescribeClusterResponseData) roundTrip(c,
                        new DescribeClusterRequest(new DescribeClusterRequestData(), v)).data();
                assertEquals(Errors.NONE.code(), r.errorCode());
                assertEquals(2, r.brokers().size());
                assertEquals("rack-b", r.brokers().find(2).rack());
                if (v == 1) {
                    DescribeClusterResponseData ctl = (DescribeClusterResponseData) roundTrip(c,
                            new DescribeClusterRequest(new DescribeClusterRequestData().setEndpointType((byte) 2), v))
                            .data();
                    assertEquals(Errors.MISMATCHED_ENDPOINT_TYPE.code(), ctl.errorCode());
                }
            }
        }
    }
}
