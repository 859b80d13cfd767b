package io.runnel.broker.group;

import io.runnel.broker.testing.RawClient;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.utils.Utils;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Group API requests over a {@link RawClient}, built and parsed by kafka-clients at an explicit version. */
final class GroupWire {
    private static final AtomicInteger CORRELATION = new AtomicInteger();

    private GroupWire() {
    }

    /** Sends {@code body} at {@code version}; returns the correlation id to {@link #receive} with. */
    static int send(RawClient c, ApiKeys api, ApiMessage body, short version) throws IOException {
        AbstractRequest request = AbstractRequest.parseRequest(api, version,
                MessageUtil.toByteBufferAccessor(body, version)).request;
        int id = CORRELATION.incrementAndGet();
        c.send(request, id);
        return id;
    }

    static ApiMessage receive(RawClient c, ApiKeys api, short version, int id) throws IOException {
        return c.read(api, version, id).data();
    }

    static ApiMessage roundTrip(RawClient c, ApiKeys api, ApiMessage body, short version) throws IOException {
        return receive(c, api, version, send(c, api, body, version));
    }

    /** Consumer-protocol metadata subscribing to {@code topics}. */
    static byte[] subscription(String... topics) {
        return Utils.toArray(ConsumerProtocol.serializeSubscription(new Subscription(List.of(topics))));
    }

    static JoinGroupRequestData join(String group, String memberId, String instanceId, String... topics) {
        JoinGroupRequestData d = new JoinGroupRequestData().setGroupId(group).setMemberId(memberId)
                .setGroupInstanceId(instanceId).setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(20_000)
                .setProtocolType("consumer");
        d.protocols().add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range")
                .setMetadata(subscription(topics)));
        return d;
    }

    /** Joins (twice from v4: MEMBER_ID_REQUIRED first) and returns the successful response. */
    static JoinGroupResponseData joinFully(RawClient c, String group, String instanceId, short v, String... topics)
            throws IOException {
        JoinGroupResponseData r = (JoinGroupResponseData) roundTrip(c, ApiKeys.JOIN_GROUP,
                join(group, "", instanceId, topics), v);
        if (r.errorCode() == org.apache.kafka.common.protocol.Errors.MEMBER_ID_REQUIRED.code()) {
            r = (JoinGroupResponseData) roundTrip(c, ApiKeys.JOIN_GROUP, join(group, r.memberId(), instanceId,
                    topics), v);
        }
        return r;
    }

    static SyncGroupResponseData sync(RawClient c, String group, int generation, String memberId, byte[] assignment,
                                      short v) throws IOException {
        SyncGroupRequestData d = new SyncGroupRequestData().setGroupId(group).setGenerationId(generation)
                .setMemberId(memberId);
        if (assignment != null) {
            d.assignments().add(new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(memberId)
                    .setAssignment(assignment));
        }
        return (SyncGroupResponseData) roundTrip(c, ApiKeys.SYNC_GROUP, d, v);
    }

    static short heartbeat(RawClient c, String group, int generation, String memberId, String instanceId, short v)
            throws IOException {
        return ((HeartbeatResponseData) roundTrip(c, ApiKeys.HEARTBEAT, new HeartbeatRequestData().setGroupId(group)
                .setGenerationId(generation).setMemberId(memberId).setGroupInstanceId(instanceId), v)).errorCode();
    }

    /** Commits one offset of {@code topic}-0; returns the partition's error code. */
    static short commit(RawClient c, String group, int generation, String memberId, String topic, long offset,
                        short v) throws IOException {
        OffsetCommitRequestData d = new OffsetCommitRequestData().setGroupId(group)
                .setGenerationIdOrMemberEpoch(generation).setMemberId(memberId);
        d.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(topic).setPartitions(List.of(
                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0)
                        .setCommittedOffset(offset).setCommittedLeaderEpoch(v >= 6 ? 3 : -1)
                        .setCommittedMetadata("m" + offset))));
        OffsetCommitResponseData r = (OffsetCommitResponseData) roundTrip(c, ApiKeys.OFFSET_COMMIT, d, v);
        return r.topics().get(0).partitions().get(0).errorCode();
    }

    /** The committed offset of {@code topic}-0 (OffsetFetch v7), -1 when none. */
    static long fetched(RawClient c, String group, String topic) throws IOException {
        OffsetFetchRequestData d = new OffsetFetchRequestData().setGroupId(group).setTopics(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestTopic().setName(topic).setPartitionIndexes(List.of(0))));
        OffsetFetchResponseData r = (OffsetFetchResponseData) roundTrip(c, ApiKeys.OFFSET_FETCH, d, (short) 7);
        return r.topics().get(0).partitions().get(0).committedOffset();
    }
}
