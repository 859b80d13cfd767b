package io.runnel.metadata.quorum;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The Kafka configuration keys the metadata quorum reads (KIP-500, KIP-595):
 * <ul>
 *   <li>{@code node.id} (required, int &ge; 0), which must be one of the voters for a controller, unless the
 *       controller joins through {@code controller.quorum.bootstrap.servers};</li>
 *   <li>{@code controller.quorum.voters}: {@code id@host:port,...}, ids unique: the voters a new cluster starts
 *       with (Kafka's static quorum);</li>
 *   <li>{@code controller.quorum.bootstrap.servers} (KIP-853): {@code host:port,...} of running controllers, set
 *       <em>instead of</em> {@code controller.quorum.voters} (exactly one of the two is required) by a controller
 *       that joins an existing quorum: it starts as a Ratis server with an empty group, learns the current voters
 *       from these servers, and becomes a voter when {@code metadata-quorum add-controller} (AddRaftVoter, key 80)
 *       adds it. Such a node needs {@code cluster.id} at its first start (Kafka's {@code kafka-storage.sh format
 *       -t}), and its controller address is the {@code controller.listener.names} entry of {@code listeners}
 *       ({@code localhost} when the host is blank);</li>
 *   <li>{@code metadata.log.dir}: where the Ratis log, snapshots and {@code meta.properties} live; default the first
 *       of {@code log.dirs}, else {@code log.dir}, else Kafka's {@code /tmp/kafka-logs};</li>
 *   <li>{@code cluster.id} (optional): when absent, a new cluster's id is derived from the voter list (see
 *       {@link ClusterIds}) so that every voter agrees without a format step;</li>
 *   <li>{@code metadata.log.max.entries.between.snapshots} (Runnel's, default {@value
 *       RatisSettings#DEFAULT_SNAPSHOT_THRESHOLD}): a controller snapshots its image after this many log entries,
 *       Ratis' entry-count counterpart of Kafka's {@code metadata.log.max.record.bytes.between.snapshots};</li>
 *   <li>{@code metadata.fetch.window.entries} (Runnel's, default {@value
 *       io.runnel.metadata.fetch.RecentEntries#DEFAULT_MAX_ENTRIES}): how many recent committed entries a controller
 *       keeps in memory for brokers that fetch the log; a broker further behind gets a snapshot.</li>
 * </ul>
 * Malformed values raise {@link ConfigException} naming the key.
 */
public record QuorumConfig(int nodeId, List<QuorumVoter> voters, Path metadataLogDir, String clusterId,
                           long snapshotThreshold, int fetchWindowEntries, List<String> bootstrapServers,
                           QuorumVoter listener) {
    /** KIP-853's key naming running controllers ({@code host:port,...}) for a controller that joins. */
    public static final String BOOTSTRAP_SERVERS_KEY = "controller.quorum.bootstrap.servers";
    /** Runnel's key for the number of log entries between automatic snapshots. */
    public static final String SNAPSHOT_ENTRIES_KEY = "metadata.log.max.entries.between.snapshots";
    /** Runnel's key for the number of recent entries kept for fetching brokers. */
    public static final String FETCH_WINDOW_KEY = "metadata.fetch.window.entries";

    public QuorumConfig {
        voters = List.copyOf(voters);
        bootstrapServers = List.copyOf(bootstrapServers);
    }

    public static QuorumConfig from(Properties props) {
        Map<String, String> m = new java.util.HashMap<>();
        props.stringPropertyNames().forEach(k -> m.put(k, props.getProperty(k)));
        return from(m);
    }

    public static QuorumConfig from(Map<String, String> props) {
        int nodeId = parseNodeId(required(props, "node.id"));
        String bootstrap = props.get(BOOTSTRAP_SERVERS_KEY);
        List<QuorumVoter> voters;
        List<String> bootstrapServers = List.of();
        QuorumVoter listener = null;
        if (blank(bootstrap)) {
            voters = parseVoters(required(props, "controller.quorum.voters"));
        } else {
            if (!blank(props.get("controller.quorum.voters"))) {
                throw new ConfigException("Set either controller.quorum.voters (the voters a new cluster starts with) "
                        + "or " + BOOTSTRAP_SERVERS_KEY + " (running controllers to join), not both");
            }
            voters = List.of();
            bootstrapServers = JoinSettings.parseBootstrapServers(bootstrap);
            listener = JoinSettings.controllerListener(nodeId, props);
        }
        String dir = props.get("metadata.log.dir");
        if (blank(dir)) {
            String logDirs = props.get("log.dirs");
            dir = !blank(logDirs) ? logDirs.split(",")[0].trim() : props.getOrDefault("log.dir", "/tmp/kafka-logs");
        }
        String clusterId = props.get("cluster.id");
        return new QuorumConfig(nodeId, voters, Path.of(dir.trim()), blank(clusterId) ? null : clusterId.trim(),
                positive(props, SNAPSHOT_ENTRIES_KEY, RatisSettings.DEFAULT_SNAPSHOT_THRESHOLD),
                (int) positive(props, FETCH_WINDOW_KEY, io.runnel.metadata.fetch.RecentEntries.DEFAULT_MAX_ENTRIES),
                bootstrapServers, listener);
    }

    private static long positive(Map<String, String> props, String key, long dflt) {
        String v = props.get(key);
        if (blank(v)) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n >= 1 && n <= Integer.MAX_VALUE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException("Invalid value '" + v + "' for " + key + ": expected an integer in 1.."
                + Integer.MAX_VALUE);
    }

    /** Voters sorted by id; throws {@link ConfigException} for empty lists, bad entries or duplicate ids. */
    public static List<QuorumVoter> parseVoters(String value) {
        List<QuorumVoter> voters = new ArrayList<>();
        HashSet<Integer> ids = new HashSet<>();
        for (String entry : value.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            QuorumVoter v = QuorumVoter.parse(entry);
            if (!ids.add(v.id())) {
                throw new ConfigException("controller.quorum.voters lists node " + v.id() + " twice: " + value);
            }
            voters.add(v);
        }
        if (voters.isEmpty()) {
            throw new ConfigException("controller.quorum.voters is empty");
        }
        voters.sort(Comparator.comparingInt(QuorumVoter::id));
        return voters;
    }

    /**
     * This node's voter entry; for a joining controller ({@link #joining()}) its controller listener; else null (the
     * node is not a controller of the quorum).
     */
    public QuorumVoter self() {
        return voters.stream().filter(v -> v.id() == nodeId).findFirst().orElse(listener);
    }

    /** Whether this node joins a running quorum through {@code controller.quorum.bootstrap.servers} (KIP-853). */
    public boolean joining() {
        return !bootstrapServers.isEmpty();
    }

    /** This config with other voters (e.g. those a joining controller learnt from its bootstrap servers). */
    public QuorumConfig withVoters(List<QuorumVoter> current) {
        return new QuorumConfig(nodeId, current, metadataLogDir, clusterId, snapshotThreshold, fetchWindowEntries,
                bootstrapServers, listener);
    }

    private static int parseNodeId(String value) {
        try {
            int id = Integer.parseInt(value.trim());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException("Invalid value '" + value + "' for node.id: expected an integer >= 0");
    }

    static String required(Map<String, String> props, String key) {
        String v = props.get(key);
        if (blank(v)) {
            throw new ConfigException("Missing required configuration '" + key + "'");
        }
        return v;
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
