package io.runnel.metadata.quorum;

import io.runnel.metadata.active.ActiveController;
import io.runnel.metadata.active.ControllerConfig;
import io.runnel.metadata.image.CorruptSnapshotException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * {@link QuorumConfig}.
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

    private QuorumNode(QuorumConfig config, String clusterId, RaftGroup group, MetadataStateMachine sm,
                       RaftServer server, ActiveController controller) {
        this.config = config;
        this.clusterId = clusterId;
        this.group = group;
        this.stateMachine = sm;
        this.server = server;
        this.controller = controller;
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
        if (self == null) {
            throw new ConfigException("node.id " + config.nodeId() + " is not in controller.quorum.voters "
                    + config.voters());
        }
        Path dir = config.metadataLogDir();
        MetaProperties stored = MetaProperties.read(dir);
        RaftStorage.StartupOption option;
        String clusterId;
        if (stored == null) {
            clusterId = config.clusterId() != null ? config.clusterId() : ClusterIds.derive(config.voters());
            if (Files.exists(dir.resolve(RATIS_DIR))) {
                throw new IOException(dir.resolve(RATIS_DIR).toAbsolutePath() + " exists but "
                        + dir.resolve(MetaProperties.FILE_NAME) + " does not: refusing to guess its cluster");
            }
            new MetaProperties(clusterId, config.nodeId()).write(dir);
            option = RaftStorage.StartupOption.FORMAT;
            LOG.info("Formatting metadata storage {} for cluster {} node {}", dir, clusterId, config.nodeId());
        } else {
            stored.requireMatches(dir, config.clusterId(), config.nodeId());
            clusterId = stored.clusterId();
            option = RaftStorage.StartupOption.RECOVER;
        }
        RaftGroup group = group(clusterId, config.voters());
        MetadataStateMachine sm = new MetadataStateMachine(clusterId, config.fetchWindowEntries());
        RaftServer server = RaftServer.newBuilder()
                .setServerId(peerId(config.nodeId()))
                .setGroup(group)
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
        return new QuorumNode(config, clusterId, group, sm, server, controller);
    }

    /** The Ratis group of a cluster: its id derives from the cluster id, its peers are the voters. */
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

    @Override
    public void close() throws IOException {
        controller.close();
        server.close();
    }
}
