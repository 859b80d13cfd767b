package io.runnel.broker.protocol;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.runnel.broker.testing.Wire;
import io.runnel.log.FileSlice;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Round trips through Runnel's codec: requests serialized by kafka-clients decode to equal messages; responses
 * encoded by Runnel are byte-for-byte what kafka-clients itself writes and parse back; Fetch records sent as file
 * regions equal the same records sent from memory.
 */
class CodecProperties {
    private static final RequestDecoder DECODER = new RequestDecoder(ApiVersionTable.DESIGN);

    /** A request version drawn from the served range, and a seed for the body. */
    record Case(ApiKeys api, short version, long seed, int correlationId, String clientId) {
    }

    @Provide
    Arbitrary<Case> requests() {
        List<ApiKeys> apis = List.of(ApiKeys.API_VERSIONS, ApiKeys.METADATA, ApiKeys.PRODUCE, ApiKeys.FETCH,
                ApiKeys.LIST_OFFSETS, ApiKeys.INIT_PRODUCER_ID);
        return Arbitraries.of(apis).flatMap(api -> {
            VersionRange r = ApiVersionTable.DESIGN.served(api);
            return Combinators.combine(Arbitraries.shorts().between(r.min(), r.max()), Arbitraries.longs(),
                    Arbitraries.integers(), Arbitraries.strings().alpha().ofMaxLength(12).injectNull(0.1))
                    .as((v, seed, corr, client) -> new Case(api, v, seed, corr, client));
        });
    }

    @Property(tries = 300)
    void requestsDecodeToWhatKafkaClientsEncoded(@ForAll("requests") Case c) {
        ApiMessage body = requestBody(c.api(), c.version(), new Random(c.seed()));
        RequestHeader header = new RequestHeader(c.api(), c.version(), c.clientId(), c.correlationId());
        AbstractRequest request = AbstractRequest.parseRequest(c.api(), c.version(),
                MessageUtil.toByteBufferAccessor(body, c.version())).request;
        ByteBuffer wire = request.serializeWithHeader(header);
        KafkaRequest decoded = (KafkaRequest) DECODER.decode(wire);
        assertEquals(c.api(), decoded.apiKey());
        assertEquals(c.version(), decoded.version());
        assertEquals(c.correlationId(), decoded.correlationId());
        assertEquals(c.clientId(),
                decoded.header().clientId());
        assertEquals(body, decoded.body());
    }

    static ApiMessage requestBody(ApiKeys api, short v, Random rnd) {
        switch (api) {
            case API_VERSIONS: {
                ApiVersionsRequestData d = new ApiVersionsRequestData();
                if (v >= 3) {
                    d.setClientSoftwareName("runnel-" + rnd.nextInt(100)).setClientSoftwareVersion("1." + rnd.nextInt(9));
                }
                return d;
            }
            case METADATA: {
                MetadataRequestData d = new MetadataRequestData();
                if (v >= 1 && rnd.nextInt(4) == 0) {
                    d.setTopics(null);
                } else {
                    List<MetadataRequestData.MetadataRequestTopic> topics = new ArrayList<>();
                    for (int i = rnd.nextInt(4); i > 0; i--) {
                        topics.add(new MetadataRequestData.MetadataRequestTopic().setName(name(rnd)));
                    }
                    d.setTopics(topics);
                }
                if (v >= 4) {
                    d.setAllowAutoTopicCreation(rnd.nextBoolean());
                }
                if (v >= 8) {
                    d.setIncludeTopicAuthorizedOperations(rnd.nextBoolean());
                }
                return d;
            }
            case PRODUCE: {
                ProduceRequestData d = new ProduceRequestData().setAcks((short) (rnd.nextInt(3) - 1))
                        .setTimeoutMs(rnd.nextInt(60_000));
                for (int t = rnd.nextInt(3); t >= 0; t--) {
                    ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData()
                            .setName(name(rnd) + t);
                    for (int p = rnd.nextInt(3); p >= 0; p--) {
                        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(p)
                                .setRecords(records(rnd)));
                    }
                    d.topicData().add(topic);
                }
                return d;
            }
            case FETCH: {
                FetchRequestData d = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(rnd.nextInt(1000))
                        .setMinBytes(rnd.nextInt(100)).setMaxBytes(rnd.nextInt(Integer.MAX_VALUE))
                        .setIsolationLevel((byte) rnd.nextInt(2));
                if (v >= 7) {
                    d.setSessionId(rnd.nextInt(3)).setSessionEpoch(rnd.nextInt(3) - 1);
                }
                for (int t = rnd.nextInt(3); t >= 0; t--) {
                    FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic().setTopic(name(rnd) + t);
                    for (int p = rnd.nextInt(3); p >= 0; p--) {
                        FetchRequestData.FetchPartition fp = new FetchRequestData.FetchPartition().setPartition(p)
                                .setFetchOffset(Math.abs(rnd.nextLong() >> 8)).setPartitionMaxBytes(rnd.nextInt(1 << 20));
                        if (v >= 9) {
                            fp.setCurrentLeaderEpoch(rnd.nextInt(10) - 1);
                        }
                        if (v >= 5) {
                            fp.setLogStartOffset(rnd.nextInt(100) - 1);
                        }
                        if (v >= 12) {
                            fp.setLastFetchedEpoch(rnd.nextInt(10) - 1);
                        }
                        topic.partitions().add(fp);
                    }
                    d.topics().add(topic);
                }
                return d;
            }
            case LIST_OFFSETS: {
                ListOffsetsRequestData d = new ListOffsetsRequestData().setReplicaId(-1);
                if (v >= 2) {
                    d.setIsolationLevel((byte) rnd.nextInt(2));
                }
                for (int t = rnd.nextInt(3); t >= 0; t--) {
                    ListOffsetsRequestData.ListOffsetsTopic topic = new ListOffsetsRequestData.ListOffsetsTopic()
                            .setName(name(rnd) + t);
                    for (int p = rnd.nextInt(3); p >= 0; p--) {
                        ListOffsetsRequestData.ListOffsetsPartition lp = new ListOffsetsRequestData.ListOffsetsPartition()
                                .setPartitionIndex(p).setTimestamp(rnd.nextInt(5) == 0 ? -2 : rnd.nextLong() >>> 20);
                        if (v >= 4) {
                            lp.setCurrentLeaderEpoch(rnd.nextInt(10) - 1);
                        }
                        topic.partitions().add(lp);
                    }
                    d.topics().add(topic);
                }
                return d;
            }
            case INIT_PRODUCER_ID: {
                InitProducerIdRequestData d = new InitProducerIdRequestData().setTransactionalId(null)
                        .setTransactionTimeoutMs(rnd.nextInt(100_000));
                if (v >= 3) {
                    d.setProducerId(rnd.nextInt(1000) - 1).setProducerEpoch((short) (rnd.nextInt(10) - 1));
                }
                return d;
            }
            default:
                throw new IllegalArgumentException(api.toString());
        }
    }

    private static String name(Random rnd) {
        char[] c = new char[1 + rnd.nextInt(10)];
        for (int i = 0; i < c.length; i++) {
            c[i] = (char) ('a' + rnd.nextInt(26));
        }
        return new String(c);
    }

    static MemoryRecords records(Random rnd) {
        SimpleRecord[] records = new SimpleRecord[1 + rnd.nextInt(5)];
        for (int i = 0; i < records.length; i++) {
            byte[] value = new byte[rnd.nextInt(100)];
            rnd.nextBytes(value);
            records[i] = new SimpleRecord(1_700_000_000_000L + i, ("k" + i).getBytes(StandardCharsets.UTF_8), value);
        }
        return MemoryRecords.withRecords(rnd.nextBoolean() ? Compression.NONE : Compression.gzip().build(), records);
    }

    @Property(tries = 200)
    void responsesAreTheBytesKafkaClientsWrites(@ForAll("responses") Case c) {
        ApiMessage body = responseBody(c.api(), c.version(), new Random(c.seed()));
        short headerVersion = c.api().responseHeaderVersion(c.version());
        byte[] ours = Wire.bytes(ResponseEncoder.encode(UnpooledByteBufAllocator.DEFAULT, c.correlationId(), c.api(),
                c.version(), ApiResponse.send(body)));
        ByteBuffer header = MessageUtil.toByteBufferAccessor(new ResponseHeaderData()
                .setCorrelationId(c.correlationId()), headerVersion).buffer();
        ByteBuffer theirsBody = MessageUtil.toByteBufferAccessor(body, c.version()).buffer();
        ByteBuffer expected = ByteBuffer.allocate(4 + header.remaining() + theirsBody.remaining());
        expected.putInt(header.remaining() + theirsBody.remaining()).put(header).put(theirsBody);
        assertArrayEquals(expected.array(), ours);
        ByteBuffer parsed = ByteBuffer.wrap(ours, 4, ours.length - 4);
        RequestHeader requestHeader = new RequestHeader(c.api(), c.version(), "client", c.correlationId());
        AbstractResponse response = AbstractResponse.parseResponse(parsed.slice(), requestHeader);
        assertEquals(c.api(), response.apiKey());
        assertEquals(c.correlationId(), ResponseHeader.parse(ByteBuffer.wrap(ours, 4, ours.length - 4).slice(),
                headerVersion).correlationId());
    }

    @Provide
    Arbitrary<Case> responses() {
        List<ApiKeys> apis = List.of(ApiKeys.METADATA, ApiKeys.PRODUCE, ApiKeys.FETCH, ApiKeys.LIST_OFFSETS);
        return Arbitraries.of(apis).flatMap(api -> {
            VersionRange r = ApiVersionTable.DESIGN.served(api);
            return Combinators.combine(Arbitraries.shorts().between(r.min(), r.max()), Arbitraries.longs(),
                    Arbitraries.integers()).as((v, seed, corr) -> new Case(api, v, seed, corr, null));
        });
    }

    static ApiMessage responseBody(ApiKeys api, short v, Random rnd) {
        switch (api) {
            case METADATA: {
                MetadataResponseData d = new MetadataResponseData().setClusterId(v >= 2 ? "c" + rnd.nextInt(9) : null)
                        .setControllerId(rnd.nextInt(5));
                for (int b = rnd.nextInt(3); b >= 0; b--) {
                    d.brokers().add(new MetadataResponseData.MetadataResponseBroker().setNodeId(b).setHost("h" + b)
                            .setPort(9000 + b).setRack(v >= 1 && rnd.nextBoolean() ? "r" : null));
                }
                for (int t = rnd.nextInt(3); t >= 0; t--) {
                    MetadataResponseData.MetadataResponseTopic topic = new MetadataResponseData.MetadataResponseTopic()
                            .setName(name(rnd) + t).setErrorCode((short) rnd.nextInt(4))
                            .setTopicId(v >= 10 ? Uuid.randomUuid() : Uuid.ZERO_UUID);
                    for (int p = rnd.nextInt(3); p >= 0; p--) {
                        topic.partitions().add(new MetadataResponseData.MetadataResponsePartition().setPartitionIndex(p)
                                .setLeaderId(rnd.nextInt(3)).setLeaderEpoch(v >= 7 ? rnd.nextInt(9) : -1)
                                .setReplicaNodes(List.of(1, 2)).setIsrNodes(List.of(1))
                                .setOfflineReplicas(v >= 5 ? List.of(2) : List.of()));
                    }
                    d.topics().add(topic);
                }
                return d;
            }
            case PRODUCE: {
                ProduceResponseData d = new ProduceResponseData();
                for (int t = rnd.nextInt(3); t >= 0; t--) {
                    ProduceResponseData.TopicProduceResponse topic = new ProduceResponseData.TopicProduceResponse()
                            .setName(name(rnd) + t);
                    for (int p = rnd.nextInt(3); p >= 0; p--) {
                        topic.partitionResponses().add(new ProduceResponseData.PartitionProduceResponse().setIndex(p)
                                .setErrorCode((short) rnd.nextInt(3)).setBaseOffset(rnd.nextInt(1000))
                                .setLogAppendTimeMs(-1).setLogStartOffset(v >= 5 ? rnd.nextInt(10) : -1)
                                .setErrorMessage(v >= 8 && rnd.nextBoolean() ? "why" : null));
                    }
                    d.responses().add(topic);
                }
                return d;
            }
            case FETCH: {
                FetchResponseData d = new FetchResponseData();
                for (int t = rnd.nextInt(3); t >= 0; t--) {
                    FetchResponseData.FetchableTopicResponse topic = new FetchResponseData.FetchableTopicResponse()
                            .setTopic(name(rnd) + t);
                    for (int p = rnd.nextInt(3); p >= 0; p--) {
                        topic.partitions().add(new FetchResponseData.PartitionData().setPartitionIndex(p)
                                .setHighWatermark(rnd.nextInt(100)).setLastStableOffset(rnd.nextInt(100))
                                .setLogStartOffset(0).setAbortedTransactions(null)
                                .setRecords(rnd.nextBoolean() ? MemoryRecords.EMPTY : records(rnd)));
                    }
                    d.responses().add(topic);
                }
                return d;
            }
            case LIST_OFFSETS: {
                ListOffsetsResponseData d = new ListOffsetsResponseData();
                for (int t = rnd.nextInt(3); t >= 0; t--) {
                    ListOffsetsResponseData.ListOffsetsTopicResponse topic =
                            new ListOffsetsResponseData.ListOffsetsTopicResponse().setName(name(rnd) + t);
                    for (int p = rnd.nextInt(3); p >= 0; p--) {
                        topic.partitions().add(new ListOffsetsResponseData.ListOffsetsPartitionResponse()
                                .setPartitionIndex(p).setOffset(rnd.nextInt(1000)).setTimestamp(-1)
                                .setLeaderEpoch(v >= 4 ? rnd.nextInt(5) : -1));
                    }
                    d.topics().add(topic);
                }
                return d;
            }
            default:
                throw new IllegalArgumentException(api.toString());
        }
    }

    @Property(tries = 50)
    void fetchRecordsFromAFileAreTheBytesOfTheRecords(@ForAll long seed, @ForAll("fetchVersions") short version)
            throws IOException {
        Random rnd = new Random(seed);
        MemoryRecords records = records(rnd);
        Path file = Files.createTempFile("runnel-codec", ".log");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            int garbage = rnd.nextInt(50);
            ch.write(ByteBuffer.allocate(garbage), 0);
            ch.write(records.buffer().duplicate(), garbage);
            FetchResponseData fromFile = fetchResponse(new FileSliceRecords(new FileSlice(ch, garbage,
                    records.sizeInBytes())));
            FetchResponseData fromMemory = fetchResponse(records);
            byte[] zeroCopy = Wire.bytes(ResponseEncoder.encode(UnpooledByteBufAllocator.DEFAULT, 7, ApiKeys.FETCH,
                    version, ApiResponse.send(fromFile)));
            byte[] copied = Wire.bytes(ResponseEncoder.encode(UnpooledByteBufAllocator.DEFAULT, 7, ApiKeys.FETCH,
                    version, ApiResponse.send(fromMemory)));
            assertArrayEquals(copied, zeroCopy);
            AbstractResponse parsed = AbstractResponse.parseResponse(ByteBuffer.wrap(Arrays.copyOfRange(zeroCopy, 4,
                    zeroCopy.length)), new RequestHeader(ApiKeys.FETCH, version, "c", 7));
            FetchResponseData data = (FetchResponseData) parsed.data();
            assertEquals(records, data.responses().get(0).partitions().get(0).records());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Provide
    Arbitrary<Short> fetchVersions() {
        return Arbitraries.shorts().between((short) 4, (short) 12);
    }

    private static FetchResponseData fetchResponse(org.apache.kafka.common.record.BaseRecords records) {
        FetchResponseData d = new FetchResponseData();
        FetchResponseData.FetchableTopicResponse t = new FetchResponseData.FetchableTopicResponse().setTopic("t");
        t.partitions().add(new FetchResponseData.PartitionData().setPartitionIndex(0).setHighWatermark(5)
                .setRecords(records));
        t.partitions().add(new FetchResponseData.PartitionData().setPartitionIndex(1).setHighWatermark(0)
                .setRecords(MemoryRecords.EMPTY));
        d.responses().add(t);
        return d;
    }
}
