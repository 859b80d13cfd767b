package io.runnel.broker.handler;

import io.runnel.broker.testing.FixedBrokerConfigs;
import io.runnel.broker.testing.QuorumBroker;
import io.runnel.broker.testing.RawClient;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AddRaftVoterRequestData;
import org.apache.kafka.common.message.AddRaftVoterResponseData;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeQuorumRequestData;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.RemoveRaftVoterRequestData;
import org.apache.kafka.common.message.RemoveRaftVoterResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.DescribeQuorumRequest;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every served version of the admin APIs (CreateTopics 2-7, DeleteTopics 1-6, CreatePartitions 0-3, DescribeConfigs
 * 1-4, IncrementalAlterConfigs 0-1, DescribeQuorum 0-2) answered with a response kafka-clients parses, success and
 * error paths, on one connection to a broker backed by a real one-voter quorum; and ApiVersions advertising exactly
 * the APIs with handlers.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AdminAllVersionsTest {
    @TempDir
    static Path dir;
    static QuorumBroker broker;
    static int correlation;

    @BeforeAll
    static void start() throws Exception {
        broker = QuorumBroker.start(dir, Map.of(), FixedBrokerConfigs.TYPICAL);
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

    static CreateTopicsRequestData.CreatableTopic creatable(String name, int partitions) {
        CreateTopicsRequestData.CreatableTopic t = new CreateTopicsRequestData.CreatableTopic().setName(name)
                .setNumPartitions(partitions).setReplicationFactor((short) 1);
        t.configs().add(new CreateTopicsRequestData.CreatableTopicConfig().setName("retention.ms").setValue("1000"));
        return t;
    }

    @Test
    void apiVersionsAdvertisesExactlyTheApisWithHandlers() throws Exception {
        try (RawClient c = new RawClient(broker.port())) {
            int id = ++correlation;
            ApiVersionsRequest request = new ApiVersionsRequest(new ApiVersionsRequestData()
                    .setClientSoftwareName("all-versions").setClientSoftwareVersion("1.0"), (short) 3);
            c.send(request, id);
            ApiVersionsResponseData r = (ApiVersionsResponseData) c.read(ApiKeys.API_VERSIONS, (short) 3, id).data();
            Set<ApiKeys> advertised = r.apiKeys().stream().map(k -> ApiKeys.forId(k.apiKey()))
                    .collect(Collectors.toCollection(() -> EnumSet.noneOf(ApiKeys.class)));
            assertEquals(EnumSet.of(ApiKeys.API_VERSIONS, ApiKeys.METADATA, ApiKeys.DESCRIBE_CLUSTER,
                    ApiKeys.PRODUCE, ApiKeys.FETCH, ApiKeys.LIST_OFFSETS, ApiKeys.INIT_PRODUCER_ID,
                    ApiKeys.DELETE_RECORDS, ApiKeys.CREATE_TOPICS, ApiKeys.DELETE_TOPICS, ApiKeys.CREATE_PARTITIONS,
                    ApiKeys.DESCRIBE_CONFIGS, ApiKeys.INCREMENTAL_ALTER_CONFIGS, ApiKeys.DESCRIBE_QUORUM,
                    ApiKeys.FIND_COORDINATOR, ApiKeys.JOIN_GROUP, ApiKeys.SYNC_GROUP, ApiKeys.HEARTBEAT,
                    ApiKeys.LEAVE_GROUP, ApiKeys.OFFSET_COMMIT, ApiKeys.OFFSET_FETCH, ApiKeys.LIST_GROUPS,
                    ApiKeys.DESCRIBE_GROUPS, ApiKeys.DELETE_GROUPS, ApiKeys.OFFSET_DELETE, ApiKeys.ELECT_LEADERS,
                    ApiKeys.DESCRIBE_LOG_DIRS, ApiKeys.UNREGISTER_BROKER, ApiKeys.ALTER_PARTITION_REASSIGNMENTS,
                    ApiKeys.LIST_PARTITION_REASSIGNMENTS, ApiKeys.ADD_RAFT_VOTER, ApiKeys.REMOVE_RAFT_VOTER,
                    ApiKeys.ADD_PARTITIONS_TO_TXN, ApiKeys.ADD_OFFSETS_TO_TXN, ApiKeys.END_TXN,
                    ApiKeys.WRITE_TXN_MARKERS, ApiKeys.TXN_OFFSET_COMMIT, ApiKeys.DESCRIBE_TRANSACTIONS,
                    ApiKeys.LIST_TRANSACTIONS, ApiKeys.DESCRIBE_PRODUCERS),
                    advertised);
            assertEquals(5, r.apiKeys().find(ApiKeys.END_TXN.id).maxVersion(), "transactions v2 (KIP-890 part 2)");
            assertEquals(7, r.apiKeys().find(ApiKeys.CREATE_TOPICS.id).maxVersion());
            assertEquals(2, r.apiKeys().find(ApiKeys.CREATE_TOPICS.id).minVersion());
            assertEquals(2, r.apiKeys().find(ApiKeys.DESCRIBE_QUORUM.id).maxVersion());
            assertEquals(0, r.apiKeys().find(ApiKeys.DELETE_RECORDS.id).minVersion());
            assertEquals(2, r.apiKeys().find(ApiKeys.DELETE_RECORDS.id).maxVersion());
        }
    }

    @Test
    void everyServedVersionOfTheAdminApisIsAnswered() throws Exception {
        try (RawClient c = new RawClient(broker.port())) {
            for (short v = 2; v <= 7; v++) {
                CreateTopicsRequestData d = new CreateTopicsRequestData().setTimeoutMs(30_000);
                d.topics().add(creatable("cv" + v, 2));
                d.topics().add(creatable("bad name " + v, 1));
                CreateTopicsRequestData.CreatableTopic manual = creatable("manual" + v, -1).setReplicationFactor(
                        (short) -1);
                // broker 99 is not registered
                manual.assignments().add(new CreateTopicsRequestData.CreatableReplicaAssignment()
                        .setPartitionIndex(0).setBrokerIds(List.of(99)));
                d.topics().add(manual);
                CreateTopicsResponseData r = (CreateTopicsResponseData) roundTrip(c, ApiKeys.CREATE_TOPICS, d, v);
                CreateTopicsResponseData.CreatableTopicResult ok = r.topics().find("cv" + v);
                assertEquals(Errors.NONE.code(), ok.errorCode(), "CreateTopics v" + v);
                assertEquals(Errors.INVALID_TOPIC_EXCEPTION.code(), r.topics().find("bad name " + v).errorCode());
                assertEquals(Errors.INVALID_REPLICA_ASSIGNMENT.code(), r.topics().find("manual" + v).errorCode());
                if (v >= 5) {
                    assertEquals(2, ok.numPartitions());
                    assertTrue(ok.configs().stream().anyMatch(e -> e.name().equals("retention.ms")
                            && e.value().equals("1000")));
                }
                if (v >= 7) {
                    assertNotEquals(Uuid.ZERO_UUID, ok.topicId());
                }
                assertTrue(broker.brokerImage().topicsByName().containsKey("cv" + v), "visible before the answer");
                CreateTopicsResponseData again = (CreateTopicsResponseData) roundTrip(c, ApiKeys.CREATE_TOPICS,
                        new CreateTopicsRequestData().setTimeoutMs(0).setValidateOnly(true).setTopics(
                                new CreateTopicsRequestData.CreatableTopicCollection(List.of(
                                        creatable("cv" + v, 1)).iterator())), v);
                assertEquals(Errors.TOPIC_ALREADY_EXISTS.code(), again.topics().find("cv" + v).errorCode());
            }
            for (short v = 0; v <= 3; v++) {
                CreatePartitionsRequestData d = new CreatePartitionsRequestData().setTimeoutMs(30_000);
                d.topics().add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName("cv" + (v + 2))
                        .setCount(3).setAssignments(null));
                d.topics().add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName("absent")
                        .setCount(3).setAssignments(null));
                CreatePartitionsResponseData r = (CreatePartitionsResponseData) roundTrip(c,
                        ApiKeys.CREATE_PARTITIONS, d, v);
                assertEquals(Errors.NONE.code(), r.results().get(0).errorCode(), "CreatePartitions v" + v);
                assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), r.results().get(1).errorCode());
                assertEquals(3, broker.brokerImage().topicsByName().get("cv" + (v + 2)).partitions().size());
            }
            for (short v = 1; v <= 4; v++) {
                DescribeConfigsRequestData d = new DescribeConfigsRequestData().setIncludeSynonyms(true)
                        .setIncludeDocumentation(v >= 3);
                d.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource()
                        .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName("cv2")
                        .setConfigurationKeys(null));
                d.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource()
                        .setResourceType(ConfigResource.Type.BROKER.id()).setResourceName("1")
                        .setConfigurationKeys(List.of("log.segment.bytes")));
                d.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource()
                        .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName("absent")
                        .setConfigurationKeys(null));
                d.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource()
                        .setResourceType(ConfigResource.Type.BROKER_LOGGER.id()).setResourceName("1")
                        .setConfigurationKeys(null));
                DescribeConfigsResponseData r = (DescribeConfigsResponseData) roundTrip(c, ApiKeys.DESCRIBE_CONFIGS,
                        d, v);
                assertEquals(Errors.NONE.code(), r.results().get(0).errorCode(), "DescribeConfigs v" + v);
                assertTrue(r.results().get(0).configs().stream().anyMatch(e -> e.name().equals("retention.ms")
                        && e.value().equals("1000") && e.synonyms().size() == 2));
                assertEquals(1, r.results().get(1).configs().size());
                assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), r.results().get(2).errorCode());
                assertEquals(Errors.INVALID_REQUEST.code(), r.results().get(3).errorCode());
            }
            for (short v = 0; v <= 1; v++) {
                IncrementalAlterConfigsRequestData d = new IncrementalAlterConfigsRequestData();
                IncrementalAlterConfigsRequestData.AlterConfigsResource t =
                        new IncrementalAlterConfigsRequestData.AlterConfigsResource()
                                .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName("cv3");
                t.configs().add(new IncrementalAlterConfigsRequestData.AlterableConfig().setName("retention.ms")
                        .setConfigOperation((byte) 0).setValue(Integer.toString(2000 + v)));
                d.resources().add(t);
                IncrementalAlterConfigsRequestData.AlterConfigsResource staticKey =
                        new IncrementalAlterConfigsRequestData.AlterConfigsResource()
                                .setResourceType(ConfigResource.Type.BROKER.id()).setResourceName("1");
                staticKey.configs().add(new IncrementalAlterConfigsRequestData.AlterableConfig()
                        .setName("log.retention.ms").setConfigOperation((byte) 0).setValue("1"));
                d.resources().add(staticKey);
                IncrementalAlterConfigsRequestData.AlterConfigsResource badOp =
                        new IncrementalAlterConfigsRequestData.AlterConfigsResource()
                                .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName("cv4");
                badOp.configs().add(new IncrementalAlterConfigsRequestData.AlterableConfig().setName("retention.ms")
                        .setConfigOperation((byte) 9).setValue("1"));
                d.resources().add(badOp);
                IncrementalAlterConfigsResponseData r = (IncrementalAlterConfigsResponseData) roundTrip(c,
                        ApiKeys.INCREMENTAL_ALTER_CONFIGS, d, v);
                assertEquals(Errors.NONE.code(), r.responses().get(0).errorCode(), "IncrementalAlterConfigs v" + v);
                assertEquals(Errors.INVALID_REQUEST.code(), r.responses().get(1).errorCode());
                assertEquals(Errors.INVALID_REQUEST.code(), r.responses().get(2).errorCode());
                assertEquals(Integer.toString(2000 + v), broker.brokerImage().configs().get(
                        new io.runnel.metadata.image.ConfigResource(
                                io.runnel.metadata.record.ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC, "cv3"))
                        .get("retention.ms"));
            }
            for (short v = 0; v <= 2; v++) {
                DescribeQuorumResponseData r = (DescribeQuorumResponseData) roundTrip(c, ApiKeys.DESCRIBE_QUORUM,
                        DescribeQuorumRequest.singletonRequest(new TopicPartition("__cluster_metadata", 0)), v);
                assertEquals(Errors.NONE.code(), r.errorCode(), "DescribeQuorum v" + v);
                DescribeQuorumResponseData.PartitionData p = r.topics().get(0).partitions().get(0);
                assertEquals(QuorumBroker.NODE_ID, p.leaderId());
                assertEquals(1, p.currentVoters().size());
                assertEquals(v >= 2 ? 1 : 0, r.nodes().size());
                DescribeQuorumResponseData wrong = (DescribeQuorumResponseData) roundTrip(c,
                        ApiKeys.DESCRIBE_QUORUM, DescribeQuorumRequest.singletonRequest(new TopicPartition("other", 0)),
                        v);
                assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                        wrong.topics().get(0).partitions().get(0).errorCode());
            }
            // KIP-853 refusals that change nothing: node 1 already is the only voter; node 9 is none; no dir ids
            AddRaftVoterResponseData dup = (AddRaftVoterResponseData) roundTrip(c, ApiKeys.ADD_RAFT_VOTER,
                    new AddRaftVoterRequestData().setVoterId(QuorumBroker.NODE_ID).setVoterDirectoryId(Uuid.ZERO_UUID)
                            .setTimeoutMs(10_000).setListeners(new AddRaftVoterRequestData.ListenerCollection(
                                    List.of(new AddRaftVoterRequestData.Listener().setName("CONTROLLER")
                                            .setHost("127.0.0.1").setPort(1)).iterator())), (short) 0);
            assertEquals(Errors.DUPLICATE_VOTER.code(), dup.errorCode(), dup.errorMessage());
            RemoveRaftVoterResponseData unknown = (RemoveRaftVoterResponseData) roundTrip(c,
                    ApiKeys.REMOVE_RAFT_VOTER, new RemoveRaftVoterRequestData().setVoterId(9)
                            .setVoterDirectoryId(Uuid.ZERO_UUID), (short) 0);
            assertEquals(Errors.VOTER_NOT_FOUND.code(), unknown.errorCode(), unknown.errorMessage());
            RemoveRaftVoterResponseData dirId = (RemoveRaftVoterResponseData) roundTrip(c,
                    ApiKeys.REMOVE_RAFT_VOTER, new RemoveRaftVoterRequestData().setVoterId(QuorumBroker.NODE_ID)
                            .setVoterDirectoryId(Uuid.randomUuid()), (short) 0);
            assertEquals(Errors.VOTER_NOT_FOUND.code(), dirId.errorCode(), dirId.errorMessage());
            RemoveRaftVoterResponseData last = (RemoveRaftVoterResponseData) roundTrip(c,
                    ApiKeys.REMOVE_RAFT_VOTER, new RemoveRaftVoterRequestData().setVoterId(QuorumBroker.NODE_ID)
                            .setVoterDirectoryId(Uuid.ZERO_UUID), (short) 0);
            assertEquals(Errors.INVALID_REQUEST.code(), last.errorCode(), last.errorMessage());
            for (short v = 1; v <= 6; v++) {
                DeleteTopicsRequestData d = new DeleteTopicsRequestData().setTimeoutMs(30_000);
                String name = "cv" + (v + 1);
                if (v >= 6) {
                    d.topics().add(new DeleteTopicsRequestData.DeleteTopicState().setName(name));
                    d.topics().add(new DeleteTopicsRequestData.DeleteTopicState().setName(null)
                            .setTopicId(Uuid.randomUuid()));
                    d.topics().add(new DeleteTopicsRequestData.DeleteTopicState().setName("absent"));
                } else {
                    d.setTopicNames(List.of(name, "absent"));
                }
                DeleteTopicsResponseData r = (DeleteTopicsResponseData) roundTrip(c, ApiKeys.DELETE_TOPICS, d, v);
                assertEquals(Errors.NONE.code(), r.responses().find(name).errorCode(), "DeleteTopics v" + v);
                assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), r.responses().find("absent").errorCode());
                if (v >= 6) {
                    assertTrue(r.responses().stream().anyMatch(t -> t.errorCode() == Errors.UNKNOWN_TOPIC_ID.code()));
                }
                assertFalse(broker.brokerImage().topicsByName().containsKey(name), "gone before the answer");
            }
        }
    }
}
