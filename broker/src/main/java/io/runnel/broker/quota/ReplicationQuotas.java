package io.runnel.broker.quota;

import io.runnel.metadata.controller.BrokerConfigs;
import io.runnel.metadata.controller.ThrottledReplicaList;
import io.runnel.metadata.image.ConfigResource;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.record.ConfigResourceType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This broker's two replication throttles (KIP-73), read from each metadata image: the rates from the dynamic
 * config of BROKER {@code <id>} or, when unset there, the cluster default BROKER {@code ""}; the throttled replicas
 * from every topic's {@code leader.replication.throttled.replicas} and {@code follower.replication.throttled.replicas}
 * (the pairs naming this broker, or {@code *}).
 */
public final class ReplicationQuotas {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationQuotas.class);
    private static final String LEADER_REPLICAS = "leader.replication.throttled.replicas";
    private static final String FOLLOWER_REPLICAS = "follower.replication.throttled.replicas";

    private final int brokerId;
    private final ReplicationQuota leader;
    private final ReplicationQuota follower;

    /** @param clock ms since the epoch */
    public ReplicationQuotas(int brokerId, LongSupplier clock) {
        this.brokerId = brokerId;
        this.leader = new ReplicationQuota(clock);
        this.follower = new ReplicationQuota(clock);
    }

    /** The leader side: bytes this broker sends to throttled followers. */
    public ReplicationQuota leader() {
        return leader;
    }

    /** The follower side: bytes this broker's throttled fetchers receive. */
    public ReplicationQuota follower() {
        return follower;
    }

    /** Takes the rates and throttled replicas of {@code image}. */
    public void apply(MetadataImage image) {
        Map<String, String> own = image.configs().getOrDefault(
                new ConfigResource(ConfigResourceType.CONFIG_RESOURCE_TYPE_BROKER, String.valueOf(brokerId)), Map.of());
        Map<String, String> cluster = image.configs().getOrDefault(
                new ConfigResource(ConfigResourceType.CONFIG_RESOURCE_TYPE_BROKER, ""), Map.of());
        update(leader, rate(own, cluster, BrokerConfigs.LEADER_THROTTLED_RATE), image, LEADER_REPLICAS);
        update(follower, rate(own, cluster, BrokerConfigs.FOLLOWER_THROTTLED_RATE), image, FOLLOWER_REPLICAS);
    }

    private void update(ReplicationQuota quota, long rate, MetadataImage image, String key) {
        Map<String, Set<Integer>> partitions = new HashMap<>();
        Set<String> all = new HashSet<>();
        image.configs().forEach((resource, values) -> {
            String value = values.get(key);
            if (resource.type() != ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC || value == null) {
                return;
            }
            try {
                ThrottledReplicaList list = ThrottledReplicaList.parse(value);
                if (list.all()) {
                    all.add(resource.name());
                } else if (!list.partitionsOn(brokerId).isEmpty()) {
                    partitions.put(resource.name(), list.partitionsOn(brokerId));
                }
            } catch (IllegalArgumentException e) {
                LOG.warn("Ignoring the unreadable {} of topic {}: {}", key, resource.name(), value);
            }
        });
        if (rate != quota.bytesPerSecond()) {
            LOG.info("Replication throttle ({}) of broker {}: {}", key.startsWith("leader") ? "leader" : "follower",
                    brokerId, rate == ReplicationQuota.UNLIMITED ? "none" : rate + " bytes/s");
        }
        quota.update(rate, partitions, all);
    }

    private static long rate(Map<String, String> own, Map<String, String> cluster, String key) {
        String v = own.containsKey(key) ? own.get(key) : cluster.get(key);
        if (v == null) {
            return ReplicationQuota.UNLIMITED;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return ReplicationQuota.UNLIMITED;
        }
    }
}
