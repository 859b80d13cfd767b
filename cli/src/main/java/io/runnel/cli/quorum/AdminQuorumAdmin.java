package io.runnel.cli.quorum;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.RaftVoterEndpoint;

import static io.runnel.cli.client.AdminFutures.await;

/**
 * {@link QuorumAdmin} on a kafka-clients {@link Admin}: {@code describeMetadataQuorum()}, {@code
 * describeCluster()}, {@code addRaftVoter()} and {@code removeRaftVoter()}. Each call waits for its future; the Admin's {@code default.api.timeout.ms} bounds the wait.
 */
final class AdminQuorumAdmin implements QuorumAdmin {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private final Admin admin;

    /** @param admin the client to use; closed by {@link #close()} */
    AdminQuorumAdmin(Admin admin) {
        this.admin = admin;
    }

    @Override
    public QuorumDescription describeQuorum() {
        QuorumInfo info = await(admin.describeMetadataQuorum().quorumInfo());
        Map<Integer, List<String>> endpoints = new HashMap<>();
        info.nodes().forEach((id, node) -> endpoints.put(id, node.endpoints().stream()
                .map(RaftVoterEndpoint::toString).toList()));
        return new QuorumDescription(info.leaderId(), info.leaderEpoch(), info.highWatermark(),
                info.voters().stream().map(AdminQuorumAdmin::replica).toList(),
                info.observers().stream().map(AdminQuorumAdmin::replica).toList(), endpoints);
    }

    private static QuorumDescription.Replica replica(QuorumInfo.ReplicaState s) {
        return new QuorumDescription.Replica(s.replicaId(), s.replicaDirectoryId().toString(), s.logEndOffset(),
                s.lastFetchTimestamp(), s.lastCaughtUpTimestamp());
    }

    @Override
    public String clusterId() {
        return await(admin.describeCluster().clusterId());
    }

    @Override
    public void addController(int id, String directoryId, List<ControllerEndpoint> endpoints) {
        Set<RaftVoterEndpoint> set = new LinkedHashSet<>();
        endpoints.forEach(e -> set.add(new RaftVoterEndpoint(e.name(), e.host(), e.port())));
        await(admin.addRaftVoter(id, Uuid.fromString(directoryId), set).all());
    }

    @Override
    public void removeController(int id, String directoryId) {
        await(admin.removeRaftVoter(id, Uuid.fromString(directoryId)).all());
    }

    @Override
    public void close() {
        admin.close(CLOSE_TIMEOUT);
    }
}
