package io.runnel.broker.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server configuration keys Runnel knows, with Kafka's names, types and defaults (Kafka docs, "Broker Configs";
 * KIP-500/KIP-595 for the KRaft keys). A key missing here is unknown: it draws a warning at startup, not an error.
 */
public final class ServerConfigKeys {
    private static final Map<String, ConfigKey> KEYS = new LinkedHashMap<>();

    static {
        // node identity and roles (KRaft)
        key("process.roles", ConfigType.LIST, null, "broker, controller, or both");
        key("node.id", ConfigType.INT, null, "this node's id, unique in the cluster");
        key("controller.quorum.voters", ConfigType.LIST, null, "the controller quorum: id@host:port,...");
        key("controller.quorum.bootstrap.servers", ConfigType.LIST, null,
                "running controllers host:port,... to join or follow, instead of controller.quorum.voters (KIP-853)");
        key("controller.listener.names", ConfigType.LIST, "CONTROLLER", "listeners the controllers use");
        key("cluster.id", ConfigType.STRING, null, "expected cluster id; derived from the voters when unset");
        key("metadata.log.dir", ConfigType.STRING, null, "metadata log directory; default the first of log.dirs");
        key("broker.rack", ConfigType.STRING, null, "this broker's rack (KIP-36): replicas spread over racks");
        // Runnel's own: Ratis snapshots by entry count (Kafka's metadata.log.max.record.bytes.between.snapshots
        // counts bytes); the window of recent entries a controller keeps for brokers that fetch the metadata log
        key("metadata.log.max.entries.between.snapshots", ConfigType.INT, "4096",
                "controller snapshot after this many metadata log entries");
        key("metadata.fetch.window.entries", ConfigType.INT, "1024",
                "recent metadata entries a controller keeps for fetching brokers; older: a snapshot");
        // listeners
        key("listeners", ConfigType.LIST, "PLAINTEXT://:9092", "NAME://host:port to bind");
        key("advertised.listeners", ConfigType.LIST, null, "NAME://host:port clients are told; default listeners");
        key("listener.security.protocol.map", ConfigType.LIST,
                "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT", "listener name to security protocol");
        key("inter.broker.listener.name", ConfigType.STRING, "PLAINTEXT", "listener followers fetch through");
        key("socket.request.max.bytes", ConfigType.INT, "104857600", "largest request frame (bytes)");
        key("socket.send.buffer.bytes", ConfigType.INT, "102400", "SO_SNDBUF (bytes), -1 for the OS default");
        key("socket.receive.buffer.bytes", ConfigType.INT, "102400", "SO_RCVBUF (bytes), -1 for the OS default");
        key("num.network.threads", ConfigType.INT, "3", "threads reading and writing sockets");
        key("num.io.threads", ConfigType.INT, "8", "threads handling requests");
        key("request.timeout.ms", ConfigType.INT, "30000", "how long a controller request may take (ms)");
        // logs
        key("log.dirs", ConfigType.LIST, null, "partition log directories; default log.dir");
        key("log.dir", ConfigType.STRING, "/tmp/kafka-logs", "partition log directory when log.dirs is unset");
        key("log.segment.bytes", ConfigType.INT, "1073741824", "segment size before rolling (bytes)");
        key("log.roll.ms", ConfigType.LONG, null, "segment age before rolling (ms); overrides log.roll.hours");
        key("log.roll.hours", ConfigType.INT, "168", "segment age before rolling (hours)");
        key("log.retention.ms", ConfigType.LONG, null, "retention time (ms), -1 forever; overrides minutes/hours");
        key("log.retention.minutes", ConfigType.INT, null, "retention time (minutes); overrides hours");
        key("log.retention.hours", ConfigType.INT, "168", "retention time (hours)");
        key("log.retention.bytes", ConfigType.LONG, "-1", "retention size per partition (bytes), -1 unlimited");
        key("log.retention.check.interval.ms", ConfigType.LONG, "300000", "how often retention runs (ms)");
        key("log.index.interval.bytes", ConfigType.INT, "4096", "bytes between offset-index entries");
        key("log.index.size.max.bytes", ConfigType.INT, "10485760", "preallocated index size (bytes)");
        key("log.flush.interval.messages", ConfigType.LONG, Long.toString(Long.MAX_VALUE), "fsync every N records");
        key("log.flush.interval.ms", ConfigType.LONG, null, "fsync when the last flush is this old (ms)");
        key("log.segment.delete.delay.ms", ConfigType.LONG, "60000", "delay before deleted segment files go (ms)");
        key("message.max.bytes", ConfigType.INT, "1048588", "largest record batch (bytes)");
        key("log.message.timestamp.type", ConfigType.STRING, "CreateTime", "CreateTime or LogAppendTime");
        key("log.message.timestamp.before.max.ms", ConfigType.LONG, Long.toString(Long.MAX_VALUE),
                "how far in the past a CreateTime timestamp may be (ms)");
        key("log.message.timestamp.after.max.ms", ConfigType.LONG, "3600000",
                "how far in the future a CreateTime timestamp may be (ms)");
        key("log.cleanup.policy", ConfigType.LIST, "delete", "delete (retention), compact (the log cleaner) or both");
        // the log cleaner (Kafka's CleanerConfig)
        key("log.cleaner.enable", ConfigType.BOOLEAN, "true", "run the log cleaner for compacted topics");
        key("log.cleaner.threads", ConfigType.INT, "1", "log cleaner threads");
        key("log.cleaner.dedupe.buffer.size", ConfigType.LONG, "134217728",
                "memory for the cleaners' key-to-offset maps, all threads together (bytes)");
        key("log.cleaner.io.buffer.size", ConfigType.INT, "524288",
                "memory for the cleaners' read and write buffers, all threads together (bytes)");
        key("log.cleaner.io.buffer.load.factor", ConfigType.DOUBLE, "0.9",
                "how full a cleaner's key-to-offset map may get, 0 to 1");
        key("log.cleaner.io.max.bytes.per.second", ConfigType.DOUBLE, Double.toString(Double.MAX_VALUE),
                "throttle on the cleaners' reads plus writes (bytes per second)");
        key("log.cleaner.backoff.ms", ConfigType.LONG, "15000", "cleaner sleep when no log needs cleaning (ms)");
        key("log.cleaner.min.cleanable.ratio", ConfigType.DOUBLE, "0.5",
                "dirty share of a log that makes it cleanable, 0 to 1");
        key("log.cleaner.min.compaction.lag.ms", ConfigType.LONG, "0", "a record stays uncompacted this long (ms)");
        key("log.cleaner.max.compaction.lag.ms", ConfigType.LONG, Long.toString(Long.MAX_VALUE),
                "dirty records this old make a log cleanable whatever its ratio (ms)");
        key("log.cleaner.delete.retention.ms", ConfigType.LONG, "86400000",
                "how long a tombstone stays after cleaning reached it (ms)");
        // Kafka keys whose non-default values Runnel refuses at startup (UnsupportedServerConfigs)
        key("compression.type", ConfigType.STRING, "producer", "producer only: batches are stored as sent");
        key("compression.gzip.level", ConfigType.INT, "-1", "-1 only: the broker never recompresses");
        key("compression.lz4.level", ConfigType.INT, "9", "9 only: the broker never recompresses");
        key("compression.zstd.level", ConfigType.INT, "3", "3 only: the broker never recompresses");
        key("log.preallocate", ConfigType.BOOLEAN, "false", "false only: segments are not preallocated");
        key("log.roll.jitter.ms", ConfigType.LONG, null, "0 only: segments roll without jitter (ms)");
        key("log.roll.jitter.hours", ConfigType.INT, "0", "0 only: segments roll without jitter (hours)");
        key("log.local.retention.ms", ConfigType.LONG, "-2", "-2 only: no tiered storage");
        key("log.local.retention.bytes", ConfigType.LONG, "-2", "-2 only: no tiered storage");
        key("remote.log.storage.system.enable", ConfigType.BOOLEAN, "false", "false only: no tiered storage");
        // topics and replication
        key("num.partitions", ConfigType.INT, "1", "partitions of auto-created topics");
        key("default.replication.factor", ConfigType.INT, "1", "replication factor of auto-created topics");
        key("min.insync.replicas", ConfigType.INT, "1", "ISR size acks=all needs");
        key("auto.create.topics.enable", ConfigType.BOOLEAN, "true", "create unknown topics on metadata requests");
        key("delete.topic.enable", ConfigType.BOOLEAN, "true", "allow DeleteTopics");
        key("unclean.leader.election.enable", ConfigType.BOOLEAN, "false", "elect leaders outside the ISR");
        key("auto.leader.rebalance.enable", ConfigType.BOOLEAN, "true", "move leadership back to preferred replicas");
        key("leader.imbalance.check.interval.seconds", ConfigType.LONG, "300", "preferred-leader check period (s)");
        key("replica.lag.time.max.ms", ConfigType.LONG, "30000", "a follower this far behind leaves the ISR (ms)");
        key("replica.fetch.max.bytes", ConfigType.INT, "1048576", "follower fetch size per partition (bytes)");
        key("replica.fetch.wait.max.ms", ConfigType.INT, "500", "follower fetch long-poll time (ms)");
        key("replica.fetch.min.bytes", ConfigType.INT, "1", "bytes a follower fetch waits for (bytes)");
        key("replica.fetch.response.max.bytes", ConfigType.INT, "10485760", "follower fetch response size (bytes)");
        key("replica.fetch.backoff.ms", ConfigType.INT, "1000", "follower pause after a fetch error (ms)");
        key("replica.socket.timeout.ms", ConfigType.INT, "30000", "follower fetch request timeout (ms)");
        key("num.replica.fetchers", ConfigType.INT, "1", "fetcher threads per source broker");
        key("replica.high.watermark.checkpoint.interval.ms", ConfigType.LONG, "5000", "HW checkpoint period (ms)");
        // broker lifecycle (KIP-631)
        key("broker.heartbeat.interval.ms", ConfigType.INT, "2000", "broker heartbeat period (ms)");
        key("broker.session.timeout.ms", ConfigType.INT, "9000", "fence a broker silent this long (ms)");
        // consumer groups
        key("group.initial.rebalance.delay.ms", ConfigType.INT, "3000", "wait for more members on first join (ms)");
        key("group.min.session.timeout.ms", ConfigType.INT, "6000", "smallest member session timeout (ms)");
        key("group.max.session.timeout.ms", ConfigType.INT, "1800000", "largest member session timeout (ms)");
        key("offset.metadata.max.bytes", ConfigType.INT, "4096", "largest committed-offset metadata string");
        key("group.max.size", ConfigType.INT, "2147483647", "most members a group may have");
        key("offsets.retention.minutes", ConfigType.INT, "10080", "expire offsets of empty groups (minutes)");
        key("offsets.retention.check.interval.ms", ConfigType.LONG, "600000", "how often to expire offsets (ms)");
        // transactions (KIP-98)
        key("transaction.max.timeout.ms", ConfigType.INT, "900000", "largest transaction.timeout.ms allowed (ms)");
        key("transactional.id.expiration.ms", ConfigType.LONG, "604800000", "remove idle transactional ids (ms)");
        key("transaction.abort.timed.out.transaction.cleanup.interval.ms", ConfigType.LONG, "10000",
                "how often open transactions are checked against their timeout (ms)");
        key("transaction.remove.expired.transaction.cleanup.interval.ms", ConfigType.LONG, "3600000",
                "how often idle transactional ids are expired (ms)");
        key("transaction.version", ConfigType.INT, "2", "the finalized transaction.version feature level: 2 ="
                + " transactions v2 (KIP-890 part 2), 0 or 1 = v1 (Kafka: kafka-storage format --feature"
                + " transaction.version=N); the same on every node");
        // accepted for compatibility with Kafka's files; Runnel has no internal topics or recovery threads
        ignored("num.recovery.threads.per.data.dir", ConfigType.INT, "1");
        ignored("offsets.topic.replication.factor", ConfigType.INT, "3");
        ignored("transaction.state.log.replication.factor", ConfigType.INT, "3");
        ignored("transaction.state.log.min.isr", ConfigType.INT, "2");
        ignored("share.coordinator.state.topic.replication.factor", ConfigType.INT, "3");
        ignored("share.coordinator.state.topic.min.isr", ConfigType.INT, "2");
    }

    private ServerConfigKeys() {
    }

    private static void key(String name, ConfigType type, String defaultValue, String doc) {
        KEYS.put(name, new ConfigKey(name, type, defaultValue, true, doc));
    }

    private static void ignored(String name, ConfigType type, String defaultValue) {
        KEYS.put(name, new ConfigKey(name, type, defaultValue, false, "accepted for compatibility; not used"));
    }

    /** Every known key by name, in documentation order. */
    public static Map<String, ConfigKey> all() {
        return KEYS;
    }
}
