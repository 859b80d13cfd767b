package io.runnel.metadata.active;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.controller.CreatableTopic;
import io.runnel.metadata.controller.CreateTopicResult;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.image.BrokerRegistration;
import io.runnel.metadata.image.CommittedOffset;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.PartitionRegistration;
import io.runnel.metadata.image.TopicImage;
import io.runnel.metadata.image.TopicPartition;
import io.runnel.metadata.image.TxnState;
import io.runnel.metadata.image.Uuids;
import io.runnel.metadata.quorum.QuorumInfo;
import io.runnel.metadata.record.ConfigResourceType;
import io.runnel.metadata.record.TransactionRecord;
import io.runnel.metadata.rpc.AllocateProducerIdsResponse;
import io.runnel.metadata.rpc.AlterPartitionRequest;
import io.runnel.metadata.rpc.AlterPartitionResponse;
import io.runnel.metadata.rpc.BrokerHeartbeatRequest;
import io.runnel.metadata.rpc.BrokerHeartbeatResponse;
import io.runnel.metadata.rpc.CommitOffsetsRequest;
import io.runnel.metadata.rpc.CommitOffsetsResponse;
import io.runnel.metadata.rpc.CreatePartitionsRequest;
import io.runnel.metadata.rpc.DeleteOffsetsRequest;
import io.runnel.metadata.rpc.IncrementalAlterConfigsRequest;
import io.runnel.metadata.rpc.IncrementalAlterConfigsRequest.OpType;
import io.runnel.metadata.rpc.TxnOffsetCommitRequest;
import io.runnel.metadata.rpc.WriteTransactionRequest;
import io.runnel.metadata.rpc.WriteTransactionResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every controller request through {@link ControllerClient} against a one-voter quorum with three brokers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ControllerApiTest {
    private TestCluster cluster;
    private ControllerClient client;
    private final List<SimulatedBroker> brokers = new ArrayList<>();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        cluster = TestCluster.start(dir, 1, Map.of("auto.leader.rebalance.enable", "false"));
        cluster.awaitActive();
        client = cluster.client(Duration.ofSeconds(20));
        for (int id = 1; id <= 3; id++) {
            brokers.add(cluster.closeLater(new SimulatedBroker(id, client,
                    () -> cluster.node(0).stateMachine().image().provenance().index()).start(200)));
        }
        io.runnel.metadata.quorum.TestSupport.await("brokers unfenced", TestCluster.WAIT, () -> image().brokers()
                .values().stream().filter(b -> !b.fenced()).count() == 3);
    }

    @AfterAll
    void stop() throws Exception {
        cluster.close();
    }

    private MetadataImage image() {
        return cluster.node(0).stateMachine().image();
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    private List<CreateTopicResult> create(CreatableTopic... topics) throws Exception {
        return get(client.createTopics(List.of(topics), false));
    }

    @Test
    void registrationEpochIsTheLogIndexAndBrokersStartFencedUntilCaughtUp() throws Exception {
        try (SimulatedBroker late = new SimulatedBroker(9, client, () -> 0)) {
            long epoch = late.register();
            BrokerRegistration b = image().brokers().get(9);
            assertEquals(epoch, b.epoch());
            assertTrue(b.fenced());
            BrokerHeartbeatResponse behind = get(client.heartbeat(BrokerHeartbeatRequest.newBuilder().setBrokerId(9)
                    .setBrokerEpoch(epoch).setCurrentMetadataOffset(epoch - 1).build()));
            assertTrue(behind.getIsFenced());
            assertFalse(behind.getIsCaughtUp());
            BrokerHeartbeatResponse caughtUp = get(client.heartbeat(BrokerHeartbeatRequest.newBuilder()
                    .setBrokerId(9).setBrokerEpoch(epoch).setCurrentMetadataOffset(epoch).build()));
            assertFalse(caughtUp.getIsFenced());
            assertFalse(image().brokers().get(9).fenced());
            BrokerHeartbeatResponse stale = get(client.heartbeat(BrokerHeartbeatRequest.newBuilder()
                    .setBrokerId(9).setBrokerEpoch(epoch - 1).build()));
            assertEquals(ErrorCode.STALE_BROKER_EPOCH.code(), stale.getErrorCode());
            get(client.controlledShutdown(9, epoch));
            assertTrue(image().brokers().get(9).fenced());
        }
    }

    @Test
    void createTopicsAssignsOverLiveBrokersAndRejectsBadInputWithKafkasCodes() throws Exception {
        List<CreateTopicResult> ok = create(new CreatableTopic("orders", 6, (short) 3, Map.of("retention.ms", "1000")));
        assertEquals(ErrorCode.NONE, ok.get(0).error().error());
        TopicImage t = image().topicsByName().get("orders");
        assertEquals(ok.get(0).topicId(), t.id());
        assertEquals(6, t.partitions().size());

        List<CreateTopicResult> bad = create(CreatableTopic.of("bad name", 1, 1), CreatableTopic.of("zero", 0, 1),
                CreatableTopic.of("toowide", 1, 4), CreatableTopic.of("orders", 1, 1),
                new CreatableTopic("badconf", 1, (short) 1, Map.of("retention.mss", "1")),
                new CreatableTopic("badval", 1, (short) 1, Map.of("retention.ms", "soon")));
        assertEquals(List.of(ErrorCode.INVALID_TOPIC_EXCEPTION, ErrorCode.INVALID_PARTITIONS,
                ErrorCode.INVALID_REPLICATION_FACTOR, ErrorCode.TOPIC_ALREADY_EXISTS, ErrorCode.INVALID_CONFIG,
                ErrorCode.INVALID_CONFIG), bad.stream().map(r -> r.error().error()).toList());
        bad.forEach(r -> assertFalse(r.error().message().isBlank(), r.toString()));
        assertTrue(bad.get(4).error().message().contains("retention.mss"));

        List<CreateTopicResult> dry = get(client.createTopics(List.of(CreatableTopic.of("dry", 1, 1)), true));
        assertEquals(ErrorCode.NONE, dry.get(0).error().error());
        assertFalse(image().topicsByName().containsKey("dry"));
    }

    @Test
    void racingCreatesOfOneNameSucceedExactlyOnce() throws Exception {
        List<CompletableFuture<List<CreateTopicResult>>> racers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            racers.add(client.createTopics(List.of(CreatableTopic.of("race", 2, 2)), false));
        }
        int won = 0;
        for (CompletableFuture<List<CreateTopicResult>> f : racers) {
            ErrorCode e = get(f).get(0).error().error();
            assertTrue(e == ErrorCode.NONE || e == ErrorCode.TOPIC_ALREADY_EXISTS, e.toString());
            won += e == ErrorCode.NONE ? 1 : 0;
        }
        assertEquals(1, won);
    }

    @Test
    void deleteTopicAndCreatePartitions() throws Exception {
        create(CreatableTopic.of("grow", 2, 2), CreatableTopic.of("doomed", 1, 1));
        var grown = get(client.createPartitions(CreatePartitionsRequest.newBuilder().addTopics(
                CreatePartitionsRequest.Topic.newBuilder().setName("grow").setCount(5)).addTopics(
                CreatePartitionsRequest.Topic.newBuilder().setName("grow2").setCount(5)).build()));
        assertEquals(0, grown.getTopics(0).getErrorCode());
        assertEquals(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code(), grown.getTopics(1).getErrorCode());
        assertEquals(5, image().topicsByName().get("grow").partitions().size());
        image().topicsByName().get("grow").partitions().values().forEach(p -> assertEquals(2, p.replicas().size()));
        var shrink = get(client.createPartitions(CreatePartitionsRequest.newBuilder().addTopics(
                CreatePartitionsRequest.Topic.newBuilder().setName("grow").setCount(3)).build()));
        assertEquals(ErrorCode.INVALID_PARTITIONS.code(), shrink.getTopics(0).getErrorCode());

        var deleted = get(client.deleteTopics(List.of("doomed", "never-was")));
        assertEquals(0, deleted.getTopics(0).getErrorCode());
        assertEquals(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code(), deleted.getTopics(1).getErrorCode());
        assertFalse(image().topicsByName().containsKey("doomed"));
    }

    @Test
    void incrementalAlterConfigsValidatesKeysAndValues() throws Exception {
        create(CreatableTopic.of("configured", 1, 1));
        var resp = get(client.incrementalAlterConfigs(IncrementalAlterConfigsRequest.newBuilder()
                .addResources(resource(ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC, "configured",
                        op("retention.ms", OpType.SET, "60000"), op("cleanup.policy", OpType.APPEND, "compact")))
                .addResources(resource(ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC, "configured",
                        op("no.such.key", OpType.SET, "1")).toBuilder().setResourceName("configured"))
                .build()));
        // the same resource twice is INVALID_REQUEST for both
        assertEquals(ErrorCode.INVALID_REQUEST.code(), resp.getResources(0).getErrorCode());
        resp = get(client.incrementalAlterConfigs(IncrementalAlterConfigsRequest.newBuilder()
                .addResources(resource(ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC, "configured",
                        op("retention.ms", OpType.SET, "60000"), op("cleanup.policy", OpType.APPEND, "compact")))
                .addResources(resource(ConfigResourceType.CONFIG_RESOURCE_TYPE_BROKER, "",
                        op("log.retention.ms", OpType.SET, "-5")))
                .addResources(resource(ConfigResourceType.CONFIG_RESOURCE_TYPE_BROKER, "1",
                        op("some.broker.key", OpType.SET, "x")))
                .build()));
        assertEquals(0, resp.getResources(0).getErrorCode(), resp.toString());
        assertEquals(ErrorCode.INVALID_CONFIG.code(), resp.getResources(1).getErrorCode());
        assertEquals(0, resp.getResources(2).getErrorCode());
        var configs = image().configs().get(new io.runnel.metadata.image.ConfigResource(
                ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC, "configured"));
        assertEquals(Map.of("retention.ms", "60000", "cleanup.policy", "delete,compact"), configs);
        resp = get(client.incrementalAlterConfigs(IncrementalAlterConfigsRequest.newBuilder()
                .addResources(resource(ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC, "configured",
                        op("retention.mss", OpType.SET, "1"))).build()));
        assertEquals(ErrorCode.INVALID_CONFIG.code(), resp.getResources(0).getErrorCode());
        assertTrue(resp.getResources(0).getErrorMessage().contains("retention.mss"));
    }

    private static IncrementalAlterConfigsRequest.Resource resource(ConfigResourceType type, String name,
                                                                    IncrementalAlterConfigsRequest.Op... ops) {
        return IncrementalAlterConfigsRequest.Resource.newBuilder().setResourceType(type).setResourceName(name)
                .addAllOps(List.of(ops)).build();
    }

    private static IncrementalAlterConfigsRequest.Op op(String key, OpType type, String value) {
        return IncrementalAlterConfigsRequest.Op.newBuilder().setName(key).setOp(type).setValue(value).build();
    }

    @Test
    void producerIdBlocksAreUniqueAcrossBrokers() throws Exception {
        List<CompletableFuture<AllocateProducerIdsResponse>> all = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            for (SimulatedBroker b : brokers) {
                all.add(client.allocateProducerIds(b.id, b.epoch));
            }
        }
        java.util.TreeMap<Long, Integer> starts = new java.util.TreeMap<>();
        for (CompletableFuture<AllocateProducerIdsResponse> f : all) {
            AllocateProducerIdsResponse r = get(f);
            assertEquals(0, r.getErrorCode(), r.toString());
            assertEquals(1000, r.getProducerIdLen());
            assertTrue(starts.put(r.getProducerIdStart(), r.getProducerIdLen()) == null, "block handed out twice");
        }
        long end = -1;
        for (Map.Entry<Long, Integer> e : starts.entrySet()) {
            assertTrue(e.getKey() >= end, "blocks overlap at " + e.getKey());
            end = e.getKey() + e.getValue();
        }
        assertEquals(ErrorCode.STALE_BROKER_EPOCH.code(), get(client.allocateProducerIds(1, 12345)).getErrorCode());
    }

    @Test
    void offsetsCommitInOneEntryAndReadBackFromTheImage() throws Exception {
        create(CreatableTopic.of("events", 3, 1));
        long before = image().provenance().index();
        CommitOffsetsResponse r = get(client.commitOffsets(CommitOffsetsRequest.newBuilder().setGroupId("g1")
                .setCommitTimestampMs(1234)
                .addOffsets(offset("events", 0, 10)).addOffsets(offset("events", 2, 20))
                .addOffsets(offset("missing", 0, 1))
                .addOffsets(offset("events", 1, 5).toBuilder().setMetadata("x".repeat(5000))).build()));
        assertEquals(List.of(0, 0, (int) ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code(),
                (int) ErrorCode.OFFSET_METADATA_TOO_LARGE.code()), r.getPartitionsList().stream()
                .map(p -> p.getErrorCode()).toList());
        MetadataImage after = image();
        assertEquals(new CommittedOffset(10, 3, "m", 1234), after.offsets().get("g1")
                .get(new TopicPartition("events", 0)));
        assertEquals(2, after.offsets().get("g1").size());
        assertTrue(after.provenance().index() > before);

        var deleted = get(client.deleteOffsets(DeleteOffsetsRequest.newBuilder().setGroupId("g1")
                .addPartitions(DeleteOffsetsRequest.Partition.newBuilder().setTopic("events").setPartition(0))
                .build()));
        assertEquals(0, deleted.getErrorCode());
        assertEquals(1, image().offsets().get("g1").size());
        get(client.deleteOffsets(DeleteOffsetsRequest.newBuilder().setGroupId("g1").setDeleteGroup(true).build()));
        assertFalse(image().offsets().containsKey("g1"));
        assertEquals(ErrorCode.GROUP_ID_NOT_FOUND.code(), get(client.deleteOffsets(DeleteOffsetsRequest
                .newBuilder().setGroupId("g1").setDeleteGroup(true).build())).getErrorCode());
    }

    @Test
    void transactionStateIsWrittenByCompareAndSetAndCommitsItsOffsets() throws Exception {
        create(CreatableTopic.of("txn-out", 1, 1));
        TransactionRecord.Builder t = TransactionRecord.newBuilder().setTransactionalId("app-1").setProducerId(77)
                .setProducerEpoch(0).setLastProducerId(-1).setLastProducerEpoch(-1).setTimeoutMs(60_000)
                .setState(TxnState.ONGOING.toProto()).addGroups("tg").setTxnStartMs(1).setLastUpdateMs(1);
        WriteTransactionResponse first = get(client.writeTransaction(WriteTransactionRequest.newBuilder()
                .setRecord(t).setExpectedVersion(0).build()));
        assertEquals(0, first.getErrorCode(), first.getErrorMessage());
        assertEquals(1, first.getVersion());
        WriteTransactionResponse stale = get(client.writeTransaction(WriteTransactionRequest.newBuilder()
                .setRecord(t).setExpectedVersion(0).build()));
        assertEquals(ErrorCode.CONCURRENT_TRANSACTIONS.code(), stale.getErrorCode());
        assertEquals(1, stale.getCurrent().getVersion());
        CommitOffsetsResponse pending = get(client.txnOffsetCommit(TxnOffsetCommitRequest.newBuilder()
                .setGroupId("tg").setTransactionalId("app-1").setProducerId(77).setProducerEpoch(0)
                .setCommitTimestampMs(55).addOffsets(offset("txn-out", 0, 42)).build()));
        assertEquals(0, pending.getPartitions(0).getErrorCode());
        assertEquals(42, image().pendingTxnOffsets().get("tg").get(77L).get(new TopicPartition("txn-out", 0))
                .offset());
        assertFalse(image().offsets().containsKey("tg"));
        WriteTransactionResponse commit = get(client.writeTransaction(WriteTransactionRequest.newBuilder()
                .setRecord(t.setState(TxnState.PREPARE_COMMIT.toProto())).setExpectedVersion(1).build()));
        assertEquals(2, commit.getVersion());
        MetadataImage after = image();
        assertEquals(new CommittedOffset(42, 3, "m", 55), after.offsets().get("tg")
                .get(new TopicPartition("txn-out", 0)));
        assertFalse(after.pendingTxnOffsets().containsKey("tg"));
        assertEquals(TxnState.PREPARE_COMMIT, after.transactions().get("app-1").state());
    }

    private static CommitOffsetsRequest.Offset offset(String topic, int partition, long offset) {
        return CommitOffsetsRequest.Offset.newBuilder().setTopic(topic).setPartition(partition).setOffset(offset)
                .setLeaderEpoch(3).setMetadata("m").build();
    }

    @Test
    void alterPartitionIsCheckedAgainstLeaderAndPartitionEpochs() throws Exception {
        create(CreatableTopic.of("isr", 1, 3));
        TopicImage t = image().topicsByName().get("isr");
        PartitionRegistration p = t.partition(0);
        int leader = p.leader();
        int follower = p.replicas().stream().filter(r -> r != leader).findFirst().orElseThrow();
        List<Integer> shrunk = p.isr().stream().filter(r -> r != follower).toList();
        AlterPartitionResponse ok = alter(leader, t, p.leaderEpoch(), p.partitionEpoch(), shrunk);
        assertEquals(0, ok.getPartitions(0).getErrorCode(), ok.toString());
        assertEquals(p.partitionEpoch() + 1, ok.getPartitions(0).getPartitionEpoch());
        assertEquals(shrunk, image().topicsByName().get("isr").partition(0).isr());
        // the same proposal again carries a stale partition epoch
        assertEquals(ErrorCode.INVALID_UPDATE_VERSION.code(),
                alter(leader, t, p.leaderEpoch(), p.partitionEpoch(), p.isr()).getPartitions(0).getErrorCode());
        assertEquals(ErrorCode.FENCED_LEADER_EPOCH.code(),
                alter(leader, t, p.leaderEpoch() - 1, p.partitionEpoch() + 1, p.isr()).getPartitions(0)
                        .getErrorCode());
        assertEquals(ErrorCode.NOT_CONTROLLER.code(),
                alter(leader, t, p.leaderEpoch() + 1, p.partitionEpoch() + 1, p.isr()).getPartitions(0)
                        .getErrorCode());
        assertEquals(ErrorCode.NOT_LEADER_OR_FOLLOWER.code(),
                alter(follower, t, p.leaderEpoch(), p.partitionEpoch() + 1, p.isr()).getPartitions(0)
                        .getErrorCode());
        AlterPartitionResponse expanded = alter(leader, t, p.leaderEpoch(), p.partitionEpoch() + 1, p.isr());
        assertEquals(0, expanded.getPartitions(0).getErrorCode());
        assertEquals(p.partitionEpoch() + 2, image().topicsByName().get("isr").partition(0).partitionEpoch());
    }

    private AlterPartitionResponse alter(int broker, TopicImage t, int leaderEpoch, int partitionEpoch,
                                         List<Integer> isr) throws Exception {
        long epoch = brokers.get(broker - 1).epoch;
        return get(client.alterPartition(AlterPartitionRequest.newBuilder().setBrokerId(broker).setBrokerEpoch(epoch)
                .addPartitions(AlterPartitionRequest.Partition.newBuilder().setTopicId(Uuids.toProto(t.id()))
                        .setPartition(0).setLeaderEpoch(leaderEpoch).setPartitionEpoch(partitionEpoch)
                        .addAllNewIsr(isr)).build()));
    }

    @Test
    void describeQuorumReportsTheLeaderAndBrokersAsObservers() throws Exception {
        QuorumInfo info = get(client.describeQuorum());
        assertEquals(1, info.leaderId());
        assertTrue(info.leaderEpoch() >= 1);
        assertEquals(List.of(1), info.voters().stream().map(QuorumInfo.ReplicaState::replicaId).toList());
        assertEquals(0, info.voters().get(0).lag());
        assertTrue(info.highWatermark() >= image().provenance().index());
        assertEquals(List.of(2, 3), info.observers().stream().map(QuorumInfo.ReplicaState::replicaId).toList());
    }
}
