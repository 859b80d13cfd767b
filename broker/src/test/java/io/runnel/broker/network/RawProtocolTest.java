package io.runnel.broker.network;

import io.runnel.broker.testing.RawClient;
import io.runnel.broker.testing.TestBroker;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests real clients never send, over bare sockets. */
class RawProtocolTest {
    @TempDir
    static Path dir;
    static TestBroker broker;

    @BeforeAll
    static void start() {
        broker = TestBroker.start(dir);
        broker.createTopic("raw", 1, Map.of());
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    static ProduceRequest produce(MemoryRecords records, short acks) {
        ProduceRequestData data = new ProduceRequestData().setAcks(acks).setTimeoutMs(10_000);
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName("raw");
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records));
        data.topicData().add(topic);
        return new ProduceRequest(data, (short) 9);
    }

    static MemoryRecords records(String... values) {
        SimpleRecord[] r = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            r[i] = new SimpleRecord(System.currentTimeMillis(), values[i].getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withRecords(Compression.NONE, r);
    }

    long logEndOffset() {
        return broker.server().replicaManager().partition(new TopicPartition("raw", 0)).logEndOffset();
    }

    @Test
    void aCorruptedCrcGetsCorruptMessageAndAppendsNothing() throws Exception {
        try (RawClient c = new RawClient(broker.port())) {
            long before = logEndOffset();
            MemoryRecords bad = records("a", "b", "c");
            ByteBuffer buf = bad.buffer();
            buf.put(buf.limit() - 1, (byte) (buf.get(buf.limit() - 1) ^ 0x55));
            c.send(produce(MemoryRecords.readableRecords(buf), (short) 1), 1);
            ProduceResponseData r = (ProduceResponseData) c.read(ApiKeys.PRODUCE, (short) 9, 1).data();
            assertEquals(Errors.CORRUPT_MESSAGE.code(),
                    r.responses().iterator().next().partitionResponses().get(0).errorCode());
            assertEquals(before, logEndOffset());
            // the connection stays usable
            c.send(produce(records("ok"), (short) 1), 2);
            ProduceResponseData ok = (ProduceResponseData) c.read(ApiKeys.PRODUCE, (short) 9, 2).data();
            assertEquals(Errors.NONE.code(), ok.responses().iterator().next().partitionResponses().get(0).errorCode());
            assertEquals(before + 1, logEndOffset());
        }
    }

    @Test
    void acksZeroGetsNoResponseAndResponsesKeepRequestOrder() throws Exception {
        try (RawClient c = new RawClient(broker.port())) {
            long end = logEndOffset();
            // a long poll first, then requests answered at once: they must still come back in request order
            FetchRequestData fetch = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(300).setMinBytes(1 << 20)
                    .setMaxBytes(1 << 20).setSessionEpoch(-1);
            fetch.topics().add(new FetchRequestData.FetchTopic().setTopic("raw").setPartitions(List.of(
                    new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(end)
                            .setPartitionMaxBytes(1 << 20))));
            c.send(new FetchRequest(fetch, (short) 12), 10);
            c.send(produce(records("silent"), (short) 0), 11);
            c.send(new MetadataRequest(new MetadataRequestData().setTopics(null), (short) 12), 12);
            c.send(new ApiVersionsRequest(new ApiVersionsRequestData(), (short) 0), 13);
            FetchResponseData f = (FetchResponseData) c.read(ApiKeys.FETCH, (short) 12, 10).data();
            assertEquals(0, f.sessionId());
            MetadataResponse m = (MetadataResponse) c.read(ApiKeys.METADATA, (short) 12, 12);
            assertEquals(TestBroker.CLUSTER_ID, m.clusterId());
            ApiVersionsResponseData v = (ApiVersionsResponseData) c.read(ApiKeys.API_VERSIONS, (short) 0, 13).data();
            assertEquals(Errors.NONE.code(), v.errorCode());
            assertEquals(12, v.apiKeys().find(ApiKeys.PRODUCE.id).maxVersion());
            assertEquals(0, v.apiKeys().find(ApiKeys.PRODUCE.id).minVersion());
            assertEquals(end + 1, logEndOffset());
        }
    }

    @Test
    void apiVersionsFromTheFutureGetTheV0Fallback() throws Exception {
        try (RawClient c = new RawClient(broker.port())) {
            ByteBuffer frame = ByteBuffer.allocate(20);
            frame.putShort((short) 18).putShort((short) 42).putInt(5).putShort((short) -1).put((byte) 0).flip();
            c.writeFrame(frame);
            ByteBuffer r = c.readFrame();
            assertEquals(5, r.getInt());
            ApiVersionsResponseData body = new ApiVersionsResponseData(new ByteBufferAccessor(r), (short) 0);
            assertEquals(Errors.UNSUPPORTED_VERSION.code(), body.errorCode());
            assertEquals(4, body.apiKeys().find(ApiKeys.API_VERSIONS.id).maxVersion());
            c.send(new ApiVersionsRequest(new ApiVersionsRequestData().setClientSoftwareName("raw")
                    .setClientSoftwareVersion("1"), (short) 4), 6);
            ApiVersionsResponseData ok = (ApiVersionsResponseData) c.read(ApiKeys.API_VERSIONS, (short) 4, 6).data();
            assertEquals(Errors.NONE.code(), ok.errorCode());
            assertTrue(ok.apiKeys().size() >= 7);
        }
    }
}
