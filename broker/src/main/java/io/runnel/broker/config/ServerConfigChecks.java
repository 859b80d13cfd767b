package io.runnel.broker.config;

import io.runnel.broker.txn.TransactionConfig;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cross-key checks of a {@link ServerConfig} that single-key parsing cannot make, each failing with a message that
 * names the key and says how to fix it.
 */
final class ServerConfigChecks {
    private static final Set<String> ROLES = Set.of("broker", "controller");

    private ServerConfigChecks() {
    }

    static void check(ServerConfig c) {
        List<String> roles = c.getList("process.roles");
        if (roles.isEmpty()) {
            throw new ServerConfigException("Missing required configuration 'process.roles': set broker, controller"
                    + " or broker,controller");
        }
        for (String r : roles) {
            if (!ROLES.contains(r)) {
                throw new ServerConfigException("Invalid value '" + r + "' in process.roles: expected broker and/or"
                        + " controller");
            }
        }
        if (c.get("node.id") == null) {
            throw new ServerConfigException("Missing required configuration 'node.id' (an integer >= 0)");
        }
        if (c.nodeId() < 0) {
            throw new ServerConfigException("Invalid value " + c.nodeId() + " for node.id: expected >= 0");
        }
        boolean voters = !c.getList("controller.quorum.voters").isEmpty();
        boolean bootstrap = !c.getList("controller.quorum.bootstrap.servers").isEmpty();
        if (!voters && !bootstrap) {
            throw new ServerConfigException("Missing required configuration 'controller.quorum.voters'"
                    + " (id@host:port,...), or 'controller.quorum.bootstrap.servers' (host:port,...) to join a"
                    + " running quorum");
        }
        if (voters && bootstrap) {
            throw new ServerConfigException("Set either controller.quorum.voters (the voters a new cluster starts"
                    + " with) or controller.quorum.bootstrap.servers (running controllers to join), not both");
        }
        List<Endpoint> listeners = c.listeners();
        List<String> controllerNames = c.getList("controller.listener.names");
        if (c.isController() && listeners.stream().noneMatch(e -> controllerNames.contains(e.listenerName()))) {
            throw new ServerConfigException("process.roles includes controller but listeners has none of "
                    + "controller.listener.names " + controllerNames + ": add e.g. CONTROLLER://localhost:9093");
        }
        if (c.isBroker() && c.brokerListeners().isEmpty()) {
            throw new ServerConfigException("process.roles includes broker but listeners has no broker listener:"
                    + " add e.g. PLAINTEXT://localhost:9092");
        }
        positive(c, "num.partitions");
        positive(c, "default.replication.factor");
        positive(c, "min.insync.replicas");
        positive(c, "socket.request.max.bytes");
        positive(c, "broker.heartbeat.interval.ms");
        positive(c, "broker.session.timeout.ms");
        positive(c, "group.max.size");
        positive(c, "transaction.max.timeout.ms");
        for (String key : new String[]{"transactional.id.expiration.ms",
                "transaction.abort.timed.out.transaction.cleanup.interval.ms",
                "transaction.remove.expired.transaction.cleanup.interval.ms"}) {
            if (c.getLong(key) < 1) {
                throw new ServerConfigException("Invalid value " + c.getLong(key) + " for " + key + ": expected >= 1");
            }
        }
        int txnVersion = c.getInt("transaction.version");
        if (txnVersion < 0 || txnVersion > TransactionConfig.MAX_TRANSACTION_VERSION) {
            throw new ServerConfigException("Invalid value " + txnVersion + " for transaction.version: expected 0, 1"
                    + " (transactions v1, KIP-98) or 2 (transactions v2, KIP-890 part 2)");
        }
        positive(c, "offsets.retention.minutes");
        if (c.getLong("offsets.retention.check.interval.ms") < 1) {
            throw new ServerConfigException("Invalid value " + c.getLong("offsets.retention.check.interval.ms")
                    + " for offsets.retention.check.interval.ms: expected >= 1");
        }
        if (c.getInt("group.initial.rebalance.delay.ms") < 0) {
            throw new ServerConfigException("Invalid value " + c.getInt("group.initial.rebalance.delay.ms")
                    + " for group.initial.rebalance.delay.ms: expected >= 0");
        }
        if (c.getInt("group.min.session.timeout.ms") < 0
                || c.getInt("group.max.session.timeout.ms") < c.getInt("group.min.session.timeout.ms")) {
            throw new ServerConfigException("group.min.session.timeout.ms (" + c.getInt("group.min.session.timeout.ms")
                    + ") must be >= 0 and at most group.max.session.timeout.ms ("
                    + c.getInt("group.max.session.timeout.ms") + ")");
        }
        String tsType = c.getString("log.message.timestamp.type");
        if (!tsType.equals("CreateTime") && !tsType.equals("LogAppendTime")) {
            throw new ServerConfigException("Invalid value '" + tsType + "' for log.message.timestamp.type:"
                    + " expected CreateTime or LogAppendTime");
        }
        for (String key : List.of("log.message.timestamp.before.max.ms", "log.message.timestamp.after.max.ms")) {
            if (c.getLong(key) < 0) {
                throw new ServerConfigException("Invalid value " + c.getLong(key) + " for " + key + ": expected >= 0");
            }
        }
        checkCleanupPolicy(c);
        LogCleanerChecks.check(c);
        UnsupportedServerConfigs.check(c);
        try {
            c.logConfig();
        } catch (IllegalArgumentException e) {
            String brokerKeys = LogConfigSynonyms.all().entrySet().stream()
                    .filter(en -> e.getMessage().contains(" " + en.getKey() + ":"))
                    .map(Map.Entry::getValue).findFirst().orElse("the log.* keys");
            throw new ServerConfigException(e.getMessage() + " (set through " + brokerKeys + ")");
        }
    }

    private static void checkCleanupPolicy(ServerConfig c) {
        List<String> policies = c.getList("log.cleanup.policy");
        for (String p : policies) {
            if (!p.equals("delete") && !p.equals("compact")) {
                throw new ServerConfigException("Invalid value '" + p + "' in log.cleanup.policy: expected delete"
                        + " and/or compact");
            }
        }
        if (policies.isEmpty()) {
            throw new ServerConfigException("Runnel does not support an empty log.cleanup.policy yet: set delete,"
                    + " compact or both (delete with log.retention.ms=-1 and log.retention.bytes=-1 keeps everything)");
        }
    }

    private static void positive(ServerConfig c, String key) {
        if (c.getInt(key) < 1) {
            throw new ServerConfigException("Invalid value " + c.getInt(key) + " for " + key + ": expected >= 1");
        }
    }
}
