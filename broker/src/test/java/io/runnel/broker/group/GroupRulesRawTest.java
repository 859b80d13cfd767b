package io.runnel.broker.group;

import io.runnel.broker.testing.RawClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
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
 * The group coordinator's rules over a raw socket against one Runnel node: OffsetCommit from an unknown member or a
 * stale generation is refused (UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION in every version) and changes nothing; a
 * rebalance waits for every member; a static member that restarts takes its old place and fences its previous
 * incarnation (KIP-345, KIP-814); bad joins get Kafka's errors.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GroupRulesRawTest {
    @TempDir
    static Path dir;
    static TestNodes nodes;

    @BeforeAll
    static void start() throws Exception {
        nodes = TestNodes.start(dir, 1, Map.of());
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, nodes.bootstrap());
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
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

    private static DescribeGroupsResponseData.DescribedGroup describe(RawClient c, String group, short v)
            throws Exception {
        return GroupApisAllVersionsTest.describe(c, group, v);
    }

    @Test
    void aCommitFromAnUnknownMemberOrAStaleGenerationIsRefusedAndChangesNothing() throws Exception {
        try (RawClient a = client(); RawClient b = client()) {
            String group = "guarded";
            JoinGroupResponseData first = joinFully(a, group, null, (short) 9, "t");
            assertEquals(Errors.NONE.code(), sync(a, group, 1, first.memberId(), new byte[0], (short) 5).errorCode());
            assertEquals(Errors.NONE.code(), commit(a, group, 1, first.memberId(), "t", 5, (short) 9));
            // a second member moves the group to generation 2: the first rejoins
            JoinGroupResponseData idFor = (JoinGroupResponseData) roundTrip(b, ApiKeys.JOIN_GROUP,
                    GroupWire.join(group, "", null, "t"), (short) 9);
            int pending = GroupWire.send(b, ApiKeys.JOIN_GROUP, GroupWire.join(group, idFor.memberId(), null, "t"),
                    (short) 9);
            TestNodes.await("the second join to start a rebalance", () -> {
                try {
                    return describe(a, group, (short) 5).groupState().equals("PreparingRebalance");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertEquals(Errors.REBALANCE_IN_PROGRESS.code(), heartbeat(a, group, 1, first.memberId(), null,
                    (short) 4));
            JoinGroupResponseData again = (JoinGroupResponseData) roundTrip(a, ApiKeys.JOIN_GROUP,
                    GroupWire.join(group, first.memberId(), null, "t"), (short) 9);
            JoinGroupResponseData second = (JoinGroupResponseData) GroupWire.receive(b, ApiKeys.JOIN_GROUP,
                    (short) 9, pending);
            assertEquals(2, again.generationId());
            assertEquals(2, second.generationId());
            assertEquals(again.leader(), second.leader());
            assertEquals(2, again.memberId().equals(again.leader()) ? again.members().size()
                    : second.members().size());
            String leader = again.leader();
            RawClient leaderClient = leader.equals(first.memberId()) ? a : b;
            RawClient followerClient = leaderClient == a ? b : a;
            String follower = leader.equals(first.memberId()) ? second.memberId() : first.memberId();
            int followerSync = GroupWire.send(followerClient, ApiKeys.SYNC_GROUP,
                    new org.apache.kafka.common.message.SyncGroupRequestData().setGroupId(group).setGenerationId(2)
                            .setMemberId(follower), (short) 5);
            assertEquals(Errors.NONE.code(), sync(leaderClient, group, 2, leader, new byte[]{9}, (short) 5)
                    .errorCode());
            assertEquals(Errors.NONE.code(), ((SyncGroupResponseData) GroupWire.receive(followerClient,
                    ApiKeys.SYNC_GROUP, (short) 5, followerSync)).errorCode());

            for (short v = 2; v <= 9; v++) {
                assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), commit(a, group, 2, "intruder", "t", 99, v),
                        "unknown member, OffsetCommit v" + v);
                assertEquals(Errors.ILLEGAL_GENERATION.code(), commit(a, group, 1, first.memberId(), "t", 77, v),
                        "stale generation, OffsetCommit v" + v);
                assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), commit(a, group, -1, "", "t", 66, v),
                        "a commit outside group management while the group has members, OffsetCommit v" + v);
            }
            assertEquals(5, fetched(a, group, "t"));
            assertEquals(5, nodes.image(1).offsets().get(group)
                    .get(new io.runnel.metadata.image.TopicPartition("t", 0)).offset());
            assertEquals(Errors.NONE.code(), commit(a, group, 2, first.memberId(), "t", 6, (short) 9));
            assertEquals(6, fetched(a, group, "t"));
            // a member's commit to a group the coordinator does not know: the member must rejoin
            assertEquals(Errors.ILLEGAL_GENERATION.code(), commit(a, "never-joined", 3, "m", "t", 1, (short) 9));
            assertEquals(-1, fetched(a, "never-joined", "t"));
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), commit(a, group, 2, first.memberId(), "nope", 1,
                    (short) 9));
        }
    }

    @Test
    void aStaticMemberRejoiningTakesItsPlaceAndFencesItsOldIncarnation() throws Exception {
        try (RawClient c = client()) {
            String group = "static-g";
            JoinGroupResponseData joined = joinFully(c, group, "instance-1", (short) 9, "t");
            assertEquals(Errors.NONE.code(), joined.errorCode());
            assertTrue(joined.memberId().startsWith("instance-1-"), joined.memberId());
            assertEquals(Errors.NONE.code(), sync(c, group, 1, joined.memberId(), new byte[]{5}, (short) 5)
                    .errorCode());
            // the process restarts: same group.instance.id, no member id; the stable group does not rebalance
            JoinGroupResponseData back = joinFully(c, group, "instance-1", (short) 9, "t");
            assertEquals(Errors.NONE.code(), back.errorCode());
            assertEquals(1, back.generationId());
            assertTrue(back.skipAssignment(), "KIP-814: the static leader skips the assignment");
            assertEquals(back.memberId(), back.leader());
            assertEquals(Errors.FENCED_INSTANCE_ID.code(), heartbeat(c, group, 1, joined.memberId(), "instance-1",
                    (short) 4));
            assertEquals(Errors.NONE.code(), heartbeat(c, group, 1, back.memberId(), "instance-1", (short) 4));
            SyncGroupResponseData assignment = sync(c, group, 1, back.memberId(), null, (short) 5);
            assertArrayEquals(new byte[]{5}, assignment.assignment());
            // before v9 the old leader id comes back, so the member syncs as a follower
            JoinGroupResponseData old = joinFully(c, group, "instance-1", (short) 8, "t");
            assertEquals(back.memberId(), old.leader());
            assertEquals(List.of(), old.members());
            // Admin removes a static member by its instance id (KIP-345)
            LeaveGroupRequestData leave = new LeaveGroupRequestData().setGroupId(group);
            leave.members().add(new LeaveGroupRequestData.MemberIdentity().setMemberId("")
                    .setGroupInstanceId("instance-1"));
            LeaveGroupResponseData left = (LeaveGroupResponseData) roundTrip(c, ApiKeys.LEAVE_GROUP, leave,
                    (short) 5);
            assertEquals(Errors.NONE.code(), left.members().get(0).errorCode());
            assertEquals("Empty", describe(c, group, (short) 5).groupState());
        }
    }

    @Test
    void badJoinsGetKafkasErrors() throws Exception {
        try (RawClient c = client()) {
            JoinGroupResponseData shortSession = (JoinGroupResponseData) roundTrip(c, ApiKeys.JOIN_GROUP,
                    GroupWire.join("bad", "", null, "t").setSessionTimeoutMs(100), (short) 9);
            assertEquals(Errors.INVALID_SESSION_TIMEOUT.code(), shortSession.errorCode());
            JoinGroupResponseData noGroup = (JoinGroupResponseData) roundTrip(c, ApiKeys.JOIN_GROUP,
                    GroupWire.join("", "", null, "t"), (short) 9);
            assertEquals(Errors.INVALID_GROUP_ID.code(), noGroup.errorCode());
            JoinGroupResponseData unknown = (JoinGroupResponseData) roundTrip(c, ApiKeys.JOIN_GROUP,
                    GroupWire.join("bad", "made-up", null, "t"), (short) 9);
            assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), unknown.errorCode());
            JoinGroupResponseData member = joinFully(c, "bad", null, (short) 9, "t");
            assertEquals(Errors.NONE.code(), member.errorCode());
            var otherType = GroupWire.join("bad", "", null, "t").setProtocolType("connect");
            JoinGroupResponseData mismatch = (JoinGroupResponseData) roundTrip(c, ApiKeys.JOIN_GROUP, otherType,
                    (short) 3);
            assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL.code(), mismatch.errorCode());
            // the join completed a generation whose assignment has not come yet
            assertEquals("CompletingRebalance", describe(c, "bad", (short) 5).groupState());
            assertEquals(Errors.REBALANCE_IN_PROGRESS.code(), commit(c, "bad", 1, member.memberId(), "t", 1,
                    (short) 9));
        }
    }
}
