package io.runnel.metadata.quorum;

import io.runnel.metadata.active.ActiveController;
import io.runnel.metadata.active.ControllerConfig;
import io.runnel.metadata.image.CorruptSnapshotException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One voter of the metadata quorum: a Ratis server with a {@link MetadataStateMachine}, started from a
 * {@link QuorumConfig}. A controller configured with {@code controller.quorum.bootstrap.servers} (KIP-853) instead
 * starts outside the voter set, with an empty Ratis group, after learning the current voters from those servers
 * ({@link #group()} then holds them); it becomes a voter once AddRaftVoter (80) adds it.
 *
 * <p>Storage, under {@code metadata.log.dir}: {@code meta.properties} (cluster id, node id) and {@code
 * __cluster_metadata-ratis/} (Ratis' log and snapshots). The first start (no {@code meta.properties}) formats the
 * storage itself; later starts recover it. Start refuses, with an {@link IOException} naming both ids, when the
 * stored cluster id or node id differs from the configured one, and with a {@link CorruptSnapshotException} naming the
 * file when the newest snapshot fails its checks.
 */
public final class QuorumNode implements AutoCloseable {
    /** Directory, inside {@code metadata.log.dir}, of the Ratis storage. */
    public static final String RATIS_DIR = "__cluster_metadata-ratis";
    private static final Logger LOG = LoggerFactory.getLogger(QuorumNode.class);

    private final QuorumConfig config;
    private final String clusterId;
    private final RaftGroup group;
    private final MetadataStateMachine stateMachine;
    private final RaftServer server;
    private final ActiveController controller;
    private final CompletableFuture<Void> memberLost = new CompletableFuture<>();
    private volatile boolean closing;

    private QuorumNode(QuorumConfig config, String clusterId, RaftGroup group, MetadataStateMachine sm,
                       RaftServer server, ActiveController controller) {
        this.config = config;
        this.clusterId = clusterId;
        this.group = group;
        this.stateMachine = sm;
        this.server = server;
        this.controller = controller;
        sm.closed().thenRun(() -> {
            if (!closing) {
                LOG.warn("Node {}: its metadata quorum member (Ratis division) closed while the node runs; it is no"
                        + " controller any more until the node restarts", config.nodeId());
                memberLost.complete(null);
            }
        });
    }

    /**
     * Checks or formats the storage, then starts the Ratis server with Kafka's default controller settings
     * ({@link ControllerConfig#DEFAULTS}), snapshotting every {@link QuorumConfig#snapshotThreshold()} entries.
     */
    public static QuorumNode start(QuorumConfig config) throws IOException {
        return start(config, ControllerConfig.DEFAULTS, config.snapshotThreshold());
    }

    /** As {@link #start(QuorumConfig)} with the controller settings of {@code controllerConfig}. */
    public static QuorumNode start(QuorumConfig config, ControllerConfig controllerConfig) throws IOException {
        return start(config, controllerConfig, config.snapshotThreshold());
    }

    /** As {@link #start(QuorumConfig)} with another automatic snapshot threshold (entries). */
    public static QuorumNode start(QuorumConfig config, long snapshotThreshold) throws IOException {
        return start(config, ControllerConfig.DEFAULTS, snapshotThreshold);
    }

    /**
     * Checks or formats the storage, then starts this voter: its Ratis server, its state machine and its controller
     * logic (active while this voter is the Ratis leader), snapshotting every {@code snapshotThreshold} entries.
     */
    public static QuorumNode start(QuorumConfig config, ControllerConfig controllerConfig, long snapshotThreshold)
            throws IOException {
        return start(config, controllerConfig, snapshotThreshold, false);
    }

    /**
     * As {@link #start(QuorumConfig, long)}, and with {@code purgeToSnapshots} the Ratis log is purged up to each
     * snapshot in small segments, whether or not every voter has the purged entries (tests: a voter that was down
     * then catches up by a snapshot install instead of by log entries).
     */
    static QuorumNode start(QuorumConfig config, long snapshotThreshold, boolean purgeToSnapshots) throws IOException {
        return start(config, ControllerConfig.DEFAULTS, snapshotThreshold, purgeToSnapshots);
    }

    private static QuorumNode start(QuorumConfig config, ControllerConfig controllerConfig, long snapshotThreshold,
                                    boolean purgeToSnapshots) throws IOException {
        QuorumVoter self = config.self();
        if (self == null && config.joining()) {
            throw new ConfigException("A controller that joins through " + QuorumConfig.BOOTSTRAP_SERVERS_KEY
                    + " needs its controller listener in listeners (e.g. listeners=CONTROLLER://localhost:9093)");
        }
        if (self == null) {
            throw new ConfigException("node.id " + config.nodeId() + " is not in controller.quorum.voters "
                    + config.voters() + " (a controller that joins a running quorum sets "
                    + QuorumConfig.BOOTSTRAP_SERVERS_KEY + " instead, KIP-853)");
        }
        Path dir = config.metadataLogDir();
        MetaProperties stored = MetaProperties.read(dir);
        RaftStorage.StartupOption option;
        String clusterId;
        if (stored == null) {
            if (config.joining() && config.clusterId() == null) {
                throw new ConfigException("A controller that joins through " + QuorumConfig.BOOTSTRAP_SERVERS_KEY
                        + " needs cluster.id at its first start (the running cluster's id, as kafka-storage.sh "
                        + "format -t takes it)");
            }
            clusterId = config.clusterId() != null ? config.clusterId() : ClusterIds.derive(config.voters());
            if (Files.exists(dir.resolve(RATIS_DIR))) {
                throw new IOException(dir.resolve(RATIS_DIR).toAbsolutePath() + " exists but "
                        + dir.resolve(MetaProperties.FILE_NAME) + " does not: refusing to guess its cluster");
            }
            option = RaftStorage.StartupOption.FORMAT;
        } else {
            stored.requireMatches(dir, config.clusterId(), config.nodeId());
            clusterId = stored.clusterId();
            option = RaftStorage.StartupOption.RECOVER;
        }
        RaftGroup group;
        RaftGroup serverGroup;
        IOException discoveryFailure = null;
        if (config.joining()) {
            // KIP-853: start outside the configuration (an empty group); the leader's AddRaftVoter brings this server
            // in, and Ratis restores the configuration from the log on later starts
            List<QuorumVoter> voters = List.of();
            try {
                voters = VoterDiscovery.discover(config.bootstrapServers(), ClusterIds.groupId(clusterId),
                        VoterDiscovery.DEFAULT_TIMEOUT_MS);
                LOG.info("Node {} joins the metadata quorum of cluster {}; current voters {}", config.nodeId(),
                        clusterId, voters);
            } catch (IOException e) {
                if (option == RaftStorage.StartupOption.FORMAT) {
                    throw e; // nothing written yet: a later start tries again
                }
                discoveryFailure = e; // a restart (e.g. of the whole cluster): the voters come from the local log
            }
            config = config.withVoters(voters);
            group = group(clusterId, voters);
            serverGroup = RaftGroup.valueOf(group.getGroupId());
        } else {
            group = group(clusterId, config.voters());
            serverGroup = group;
        }
        if (option == RaftStorage.StartupOption.FORMAT) {
            new MetaProperties(clusterId, config.nodeId()).write(dir);
            LOG.info("Formatting metadata storage {} for cluster {} node {}", dir, clusterId, config.nodeId());
        }
        MetadataStateMachine sm = new MetadataStateMachine(clusterId, config.fetchWindowEntries());
        RaftServer server = RaftServer.newBuilder()
                .setServerId(peerId(config.nodeId()))
                .setGroup(serverGroup)
                .setStateMachine(sm)
                .setProperties(RatisSettings.server(dir.resolve(RATIS_DIR), self, snapshotThreshold,
                        purgeToSnapshots))
                .setOption(option)
                .build();
        ActiveController controller = new ActiveController(config.nodeId(), sm, server, group.getGroupId(),
                controllerConfig);
        sm.setControllerHooks(controller);
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            controller.close();
            server.close();
            // Ratis wraps state machine start failures (CompletionException); surface a corrupt snapshot directly
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof CorruptSnapshotException corrupt) {
                    throw corrupt;
                }
            }
            throw e;
        }
        if (discoveryFailure != null) {
            List<QuorumVoter> fromLog = VoterDiscovery.fromPeers(server.getDivision(group.getGroupId()).getRaftConf()
                    .getCurrentPeers(org.apache.ratis.proto.RaftProtos.RaftPeerRole.FOLLOWER));
            if (fromLog.isEmpty()) {
                controller.close();
                server.close();
                throw discoveryFailure;
            }
            LOG.warn("Node {}: no bootstrap server answered ({}); voters from the local metadata log: {}",
                    config.nodeId(), discoveryFailure.getMessage(), fromLog);
            config = config.withVoters(fromLog);
            group = group(clusterId, fromLog);
        }
        return new QuorumNode(config, clusterId, group, sm, server, controller);
    }

    /**
     * The Ratis group of a cluster: its id derives from the cluster id, its peers are the voters (those this node
     * started with; the live configuration may have changed since, see {@link #quorumInfo()}).
     */
    public static RaftGroup group(String clusterId, List<QuorumVoter> voters) {
        RaftGroupId id = ClusterIds.groupId(clusterId);
        return RaftGroup.valueOf(id, voters.stream()
                .map(v -> RaftPeer.newBuilder().setId(peerId(v.id())).setAddress(v.address()).build())
                .toList());
    }

    /** Ratis peer id of a Kafka node id: its decimal form. */
    public static RaftPeerId peerId(int nodeId) {
        return RaftPeerId.valueOf(Integer.toString(nodeId));
    }

    public QuorumConfig config() {
        return config;
    }

    public String clusterId() {
        return clusterId;
    }

    public RaftGroup group() {
        return group;
    }

    public MetadataStateMachine stateMachine() {
        return stateMachine;
    }

    /** Role, term, leader and applied index of this member; throws if the server is closed. */
    public DivisionInfo info() throws IOException {
        return server.getDivision(group.getGroupId()).getInfo();
    }

    /** Whether this member is the leader and has committed an entry of its term (Ratis' "leader ready"). */
    public boolean isLeaderReady() {
        try {
            DivisionInfo info = info();
            return info.isLeader() && info.isLeaderReady();
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether this voter is currently the active controller (the ready Ratis leader). */
    public boolean isActiveController() {
        return controller.isActive();
    }

    /**
     * The quorum as this voter sees it when it is the leader (DescribeQuorum), else null. Other members (and
     * broker-only nodes) ask the leader: {@link io.runnel.metadata.client.ControllerClient#describeQuorum()}.
     */
    public QuorumInfo quorumInfo() throws IOException {
        return controller.quorumInfo();
    }

    /**
     * Completes when this member's Ratis division closes while the node runs (not on {@link #close()}): Ratis closes a
     * member that started an election and was told by a voter that it is not in the configuration, e.g. a voter
     * removed (RemoveRaftVoter, KIP-853) while it could not hear the leader. The member then neither votes nor applies
     * the metadata log; a restart of the node brings it back (as a listener, or as a voter if it still is one).
     */
    public CompletableFuture<Void> memberLost() {
        return memberLost;
    }

    @Override
    public void close() throws IOException {
        closing = true;
        controller.close();
        server.close();
    }
}
