package io.runnel.broker.group;

import io.runnel.broker.testing.RawClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static io.runnel.broker.group.GroupWire.commit;
import static io.runnel.broker.group.GroupWire.fetched;
import static io.runnel.broker.group.GroupWire.heartbeat;
import static io.runnel.broker.group.GroupWire.joinFully;
import static io.runnel.broker.group.GroupWire.roundTrip;
import static io.runnel.broker.group.GroupWire.sync;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every served version of the group APIs over a raw socket, built and parsed by kafka-clients, against one Runnel
 * node: FindCoordinator 0-4, JoinGroup 0-9 (MEMBER_ID_REQUIRED from v4), SyncGroup 0-5, Heartbeat 0-4, LeaveGroup
 * 0-5, OffsetCommit 2-9, OffsetFetch 1-9, DescribeGroups 0-5, ListGroups 0-5, DeleteGroups 0-2, OffsetDelete 0.
 * The group rules are in {@link GroupRulesRawTest}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GroupApisAllVersionsTest {
    @TempDir
    static Path dir;
    static TestNodes nodes;

    @BeforeAll
    static void start() throws Exception {
        nodes = TestNodes.start(dir, 1, Map.of());
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, nodes.bootstrap());
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic("t", 1, (short) 1), new NewTopic("u", 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    private static RawClient client() throws Exception {
        return new RawClient(nodes.brokerPort(1));
    }

    @Test
    void findCoordinatorNamesThisBrokerInEveryVersion() throws Exception {
        try (RawClient c = client()) {
            for (short v = 0; v <= 4; v++) {
                FindCoordinatorRequestData d = new FindCoordinatorRequestData();
                if (v >= 4) {
                    d.setCoordinatorKeys(List.of("g1", "g2"));
                } else {
                    d.setKey("g1");
                }
                FindCoordinatorResponseData r = (FindCoordinatorResponseData) roundTrip(c, ApiKeys.FIND_COORDINATOR,
                        d, v);
                if (v >= 4) {
                    assertEquals(2, r.coordinators().size());
                    for (FindCoordinatorResponseData.Coordinator co : r.coordinators()) {
                        assertEquals(Errors.NONE.code(), co.errorCode());
                        assertEquals(1, co.nodeId());
                        assertEquals(nodes.brokerPort(1), co.port());
                        assertEquals("127.0.0.1", co.host());
                    }
                    assertEquals(List.of("g1", "g2"), r.coordinators().stream()
                            .map(FindCoordinatorResponseData.Coordinator::key).toList());
                } else {
                    assertEquals(Errors.NONE.code(), r.errorCode(), "v" + v);
                    assertEquals(1, r.nodeId());
                    assertEquals(nodes.brokerPort(1), r.port());
                }
            }
            FindCoordinatorResponseData txn = (FindCoordinatorResponseData) roundTrip(c, ApiKeys.FIND_COORDINATOR,
                    new FindCoordinatorRequestData().setKey("tx").setKeyType((byte) 1), (short) 3);
            assertEquals(Errors.NONE.code(), txn.errorCode(), "transactional ids are coordinated too (KIP-98)");
            assertEquals(1, txn.nodeId());
            FindCoordinatorResponseData share = (FindCoordinatorResponseData) roundTrip(c, ApiKeys.FIND_COORDINATOR,
                    new FindCoordinatorRequestData().setKey("sh").setKeyType((byte) 2), (short) 3);
            assertEquals(Errors.INVALID_REQUEST.code(), share.errorCode(), "no share coordinator");
        }
    }

    @Test
    void joinSyncHeartbeatCommitFetchLeaveInEveryVersion() throws Exception {
        try (RawClient c = client()) {
            for (short v = 0; v <= 9; v++) {
                String group = "life-v" + v;
                short syncV = (short) Math.min(v, 5);
                short hbV = (short) Math.min(v, 4);
                short leaveV = (short) Math.min(v, 5);
                short commitV = (short) Math.max(2, v);
                if (v >= 4) {
                    JoinGroupResponseData first = (JoinGroupResponseData) roundTrip(c, ApiKeys.JOIN_GROUP,
                            GroupWire.join(group, "", null, "t"), v);
                    assertEquals(Errors.MEMBER_ID_REQUIRED.code(), first.errorCode(), "v" + v);
                    assertTrue(first.memberId().startsWith("raw-"), first.memberId());
                }
                JoinGroupResponseData joined = joinFully(c, group, null, v, "t");
                assertEquals(Errors.NONE.code(), joined.errorCode(), "JoinGroup v" + v);
                assertEquals(1, joined.generationId());
                assertEquals("range", joined.protocolName());
                assertEquals(joined.memberId(), joined.leader());
                assertEquals(1, joined.members().size());
                assertArrayEquals(GroupWire.subscription("t"), joined.members().get(0).metadata());
                if (v >= 7) {
                    assertEquals("consumer", joined.protocolType());
                }
                String member = joined.memberId();
                byte[] assignment = {1, 2, 3, (byte) v};
                SyncGroupResponseData synced = sync(c, group, 1, member, assignment, syncV);
                assertEquals(Errors.NONE.code(), synced.errorCode(), "SyncGroup v" + syncV);
                assertArrayEquals(assignment, synced.assignment());
                if (syncV >= 5) {
                    assertEquals("consumer", synced.protocolType());
                    assertEquals("range", synced.protocolName());
                }
                assertEquals(Errors.NONE.code(), heartbeat(c, group, 1, member, null, hbV), "Heartbeat v" + hbV);
                assertEquals(Errors.ILLEGAL_GENERATION.code(), heartbeat(c, group, 7, member, null, hbV));
                assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), heartbeat(c, group, 1, "nobody", null, hbV));

                assertEquals(Errors.NONE.code(), commit(c, group, 1, member, "t", 10 + v, commitV),
                        "OffsetCommit v" + commitV);
                assertEquals(10 + v, fetched(c, group, "t"));

                LeaveGroupRequestData leave = new LeaveGroupRequestData().setGroupId(group);
                if (leaveV >= 3) {
                    leave.members().add(new LeaveGroupRequestData.MemberIdentity().setMemberId(member));
                    leave.members().add(new LeaveGroupRequestData.MemberIdentity().setMemberId("stranger"));
                } else {
                    leave.setMemberId(member);
                }
                LeaveGroupResponseData left = (LeaveGroupResponseData) roundTrip(c, ApiKeys.LEAVE_GROUP, leave,
                        leaveV);
                assertEquals(Errors.NONE.code(), left.errorCode(), "LeaveGroup v" + leaveV);
                if (leaveV >= 3) {
                    assertEquals(List.of(Errors.NONE.code(), Errors.UNKNOWN_MEMBER_ID.code()), left.members()
                            .stream().map(LeaveGroupResponseData.MemberResponse::errorCode).toList());
                }
                assertEquals("Empty", describe(c, group, (short) 5).groupState());
            }
        }
    }

    @Test
    void offsetFetchInEveryVersionIncludingSeveralGroupsAndAllTopics() throws Exception {
        try (RawClient c = client()) {
            assertEquals(Errors.NONE.code(), commit(c, "f1", -1, "", "t", 41, (short) 9));
            assertEquals(Errors.NONE.code(), commit(c, "f1", -1, "", "u", 42, (short) 9));
            assertEquals(Errors.NONE.code(), commit(c, "f2", -1, "", "t", 43, (short) 9));
            for (short v = 1; v <= 9; v++) {
                if (v >= 8) {
                    OffsetFetchRequestData d = new OffsetFetchRequestData();
                    d.groups().add(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("f1")
                            .setTopics(null));
                    d.groups().add(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("f2")
                            .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics().setName("t")
                                    .setPartitionIndexes(List.of(0, 5)))));
                    OffsetFetchResponseData r = (OffsetFetchResponseData) roundTrip(c, ApiKeys.OFFSET_FETCH, d, v);
                    assertEquals(2, r.groups().size());
                    OffsetFetchResponseData.OffsetFetchResponseGroup f1 = r.groups().get(0);
                    assertEquals("f1", f1.groupId());
                    assertEquals(List.of("t", "u"), f1.topics().stream()
                            .map(OffsetFetchResponseData.OffsetFetchResponseTopics::name).toList());
                    assertEquals(41, f1.topics().get(0).partitions().get(0).committedOffset());
                    assertEquals("m41", f1.topics().get(0).partitions().get(0).metadata());
                    assertEquals(3, f1.topics().get(0).partitions().get(0).committedLeaderEpoch());
                    var f2 = r.groups().get(1).topics().get(0).partitions();
                    assertEquals(43, f2.get(0).committedOffset());
                    assertEquals(-1, f2.get(1).committedOffset());
                    assertEquals("", f2.get(1).metadata());
                } else {
                    OffsetFetchRequestData d = new OffsetFetchRequestData().setGroupId("f1");
                    if (v >= 2) {
                        d.setTopics(null);
                    } else {
                        d.setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic().setName("u")
                                .setPartitionIndexes(List.of(0))));
                    }
                    OffsetFetchResponseData r = (OffsetFetchResponseData) roundTrip(c, ApiKeys.OFFSET_FETCH, d, v);
                    assertEquals(Errors.NONE.code(), r.errorCode(), "v" + v);
                    long u = r.topics().stream().filter(t -> t.name().equals("u")).findFirst().orElseThrow()
                            .partitions().get(0).committedOffset();
                    assertEquals(42, u, "OffsetFetch v" + v);
                }
            }
        }
    }

    @Test
    void describeListDeleteGroupsAndOffsetDeleteInEveryVersion() throws Exception {
        try (RawClient c = client()) {
            JoinGroupResponseData joined = joinFully(c, "admin-g", null, (short) 9, "t");
            assertEquals(Errors.NONE.code(), sync(c, "admin-g", 1, joined.memberId(), new byte[]{7}, (short) 5)
                    .errorCode());
            assertEquals(Errors.NONE.code(), commit(c, "admin-g", 1, joined.memberId(), "t", 3, (short) 9));
            assertEquals(Errors.NONE.code(), commit(c, "admin-g", 1, joined.memberId(), "u", 4, (short) 9));
            for (short v = 0; v <= 5; v++) {
                DescribeGroupsResponseData.DescribedGroup g = describe(c, "admin-g", v);
                assertEquals("Stable", g.groupState(), "DescribeGroups v" + v);
                assertEquals("consumer", g.protocolType());
                assertEquals("range", g.protocolData());
                assertEquals(1, g.members().size());
                assertEquals("raw", g.members().get(0).clientId());
                assertEquals("/127.0.0.1", g.members().get(0).clientHost());
                assertArrayEquals(new byte[]{7}, g.members().get(0).memberAssignment());
                assertEquals("Dead", describe(c, "unknown-group", v).groupState());
                assertEquals(Errors.NONE.code(), describe(c, "unknown-group", v).errorCode());
            }
            for (short v = 0; v <= 5; v++) {
                ListGroupsRequestData d = new ListGroupsRequestData();
                if (v >= 4) {
                    d.setStatesFilter(List.of("stable"));
                }
                ListGroupsResponseData r = (ListGroupsResponseData) roundTrip(c, ApiKeys.LIST_GROUPS, d, v);
                assertTrue(r.groups().stream().anyMatch(g -> g.groupId().equals("admin-g")
                        && g.protocolType().equals("consumer")), "ListGroups v" + v);
                if (v >= 4) {
                    assertTrue(r.groups().stream().allMatch(g -> g.groupState().equals("Stable")));
                }
                if (v >= 5) {
                    assertEquals("classic", r.groups().get(0).groupType());
                    ListGroupsResponseData none = (ListGroupsResponseData) roundTrip(c, ApiKeys.LIST_GROUPS,
                            new ListGroupsRequestData().setTypesFilter(List.of("share")), v);
                    assertEquals(List.of(), none.groups());
                }
            }
            // OffsetDelete: the topic the member subscribes to is refused, the other deleted
            OffsetDeleteRequestData od = new OffsetDeleteRequestData().setGroupId("admin-g");
            for (String topic : List.of("t", "u")) {
                OffsetDeleteRequestData.OffsetDeleteRequestTopic t = new OffsetDeleteRequestData
                        .OffsetDeleteRequestTopic().setName(topic);
                t.partitions().add(new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0));
                od.topics().add(t);
            }
            OffsetDeleteResponseData deleted = (OffsetDeleteResponseData) roundTrip(c, ApiKeys.OFFSET_DELETE, od,
                    (short) 0);
            assertEquals(Errors.NONE.code(), deleted.errorCode());
            assertEquals(Errors.GROUP_SUBSCRIBED_TO_TOPIC.code(), deleted.topics().find("t").partitions().find(0)
                    .errorCode());
            assertEquals(Errors.NONE.code(), deleted.topics().find("u").partitions().find(0).errorCode());
            assertEquals(-1, fetched(c, "admin-g", "u"));
            assertEquals(3, fetched(c, "admin-g", "t"));

            for (short v = 0; v <= 2; v++) {
                DeleteGroupsResponseData r = (DeleteGroupsResponseData) roundTrip(c, ApiKeys.DELETE_GROUPS,
                        new DeleteGroupsRequestData().setGroupsNames(List.of("admin-g", "no-such-group")), v);
                assertEquals(Errors.NON_EMPTY_GROUP.code(), r.results().find("admin-g").errorCode(), "v" + v);
                assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), r.results().find("no-such-group").errorCode());
            }
            LeaveGroupRequestData leave = new LeaveGroupRequestData().setGroupId("admin-g");
            leave.members().add(new LeaveGroupRequestData.MemberIdentity().setMemberId(joined.memberId()));
            roundTrip(c, ApiKeys.LEAVE_GROUP, leave, (short) 5);
            DeleteGroupsResponseData r = (DeleteGroupsResponseData) roundTrip(c, ApiKeys.DELETE_GROUPS,
                    new DeleteGroupsRequestData().setGroupsNames(List.of("admin-g")), (short) 2);
            assertEquals(Errors.NONE.code(), r.results().find("admin-g").errorCode());
            assertEquals(-1, fetched(c, "admin-g", "t"));
            assertEquals(null, nodes.image(1).offsets().get("admin-g"));
            assertEquals("Dead", describe(c, "admin-g", (short) 5).groupState());
        }
    }

    static DescribeGroupsResponseData.DescribedGroup describe(RawClient c, String group, short v) throws Exception {
        DescribeGroupsResponseData r = (DescribeGroupsResponseData) roundTrip(c, ApiKeys.DESCRIBE_GROUPS,
                new DescribeGroupsRequestData().setGroups(List.of(group)), v);
        return r.groups().get(0);
    }
}
