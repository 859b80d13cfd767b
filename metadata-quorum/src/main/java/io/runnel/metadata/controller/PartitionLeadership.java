package io.runnel.metadata.controller;

import io.runnel.metadata.image.BrokerRegistration;
import io.runnel.metadata.image.ConfigResource;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.PartitionRegistration;
import io.runnel.metadata.image.TopicImage;
import io.runnel.metadata.record.ConfigResourceType;
import io.runnel.metadata.record.MetadataRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * Leader election and ISR maintenance when brokers come and go, as KRaft's controller does it (KIP-631, pre-ELR):
 *
 * <ul>
 *   <li>A broker that leaves (fenced, controlled shutdown, re-registered) is removed from every ISR, except that an
 *       ISR never becomes empty: its last member stays, so it can lead again cleanly once back.</li>
 *   <li>A partition whose leader is gone gets the first replica (preferred order) that is in the ISR and alive; with
 *       none, leader -1 (offline) unless unclean election is enabled for the topic ({@code
 *       unclean.leader.election.enable}: topic config, else the cluster-wide broker config, else the controller
 *       default), which then picks the first alive replica and makes it the whole ISR.</li>
 *   <li>A broker that comes back leads leaderless partitions whose ISR holds it.</li>
 *   <li>Preferred-leader election moves leadership to the first replica when it is alive, in the ISR and not leading.</li>
 * </ul>
 * Every change is a PartitionChangeRecord naming {@code leader} only when the leader changes (which bumps the leader
 * epoch on replay) and {@code isr} only when the ISR changes. Pure functions of the image.
 */
public final class PartitionLeadership {
    static final String UNCLEAN_KEY = "unclean.leader.election.enable";

    private PartitionLeadership() {
    }

    /** Alive = registered, unfenced, and not in {@code leaving}. */
    public static IntPredicate alive(MetadataImage image, Set<Integer> leaving) {
        return id -> {
            BrokerRegistration b = image.brokers().get(id);
            return b != null && !b.fenced() && !leaving.contains(id);
        };
    }

    /** Whether unclean leader election is enabled for {@code topic}. */
    public static boolean uncleanEnabled(MetadataImage image, String topic, boolean controllerDefault) {
        String v = image.configs().getOrDefault(new ConfigResource(ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC,
                topic), Map.of()).get(UNCLEAN_KEY);
        if (v == null) {
            v = image.configs().getOrDefault(new ConfigResource(ConfigResourceType.CONFIG_RESOURCE_TYPE_BROKER, ""),
                    Map.of()).get(UNCLEAN_KEY);
        }
        return v == null ? controllerDefault : Boolean.parseBoolean(v.trim());
    }

    /**
     * Changes for every partition {@code brokerId} leads or is in the ISR of, as it leaves: it drops out of ISRs
     * (never emptying one) and its partitions get new leaders among {@code alive} ISR members.
     */
    public static List<MetadataRecord> brokerLeaving(MetadataImage image, int brokerId, IntPredicate alive,
                                                     boolean uncleanDefault) {
        IntPredicate others = id -> id != brokerId && alive.test(id);
        List<MetadataRecord> out = new ArrayList<>();
        forEachPartition(image, (topic, id, p) -> {
            if (p.leader() == brokerId || p.isr().contains(brokerId)) {
                MetadataRecord r = elect(topic, id, p, others, uncleanEnabled(image, topic.name(), uncleanDefault),
                        brokerId);
                if (r != null) {
                    out.add(r);
                }
            }
        });
        return out;
    }

    /** Leaders for partitions that have none, among {@code alive} ISR members (or replicas, when unclean). */
    public static List<MetadataRecord> electOffline(MetadataImage image, IntPredicate alive, boolean uncleanDefault) {
        List<MetadataRecord> out = new ArrayList<>();
        forEachPartition(image, (topic, id, p) -> {
            if (p.leader() == PartitionRegistration.NO_LEADER) {
                MetadataRecord r = elect(topic, id, p, alive, uncleanEnabled(image, topic.name(), uncleanDefault), -1);
                if (r != null) {
                    out.add(r);
                }
            }
        });
        return out;
    }

    /** Preferred-leader election: leader := first replica where it is alive, in the ISR and not already leader. */
    public static List<MetadataRecord> electPreferred(MetadataImage image, IntPredicate alive) {
        List<MetadataRecord> out = new ArrayList<>();
        forEachPartition(image, (topic, id, p) -> {
            int preferred = p.replicas().get(0);
            if (p.leader() != preferred && p.isr().contains(preferred) && alive.test(preferred)) {
                out.add(Records.partitionChange(topic.id(), id, preferred, null));
            }
        });
        return out;
    }

    /**
     * The change for one partition given who is alive, {@code removing} (a broker leaving the ISR, or -1), or null
     * when nothing changes.
     */
    static MetadataRecord elect(TopicImage topic, int partitionId, PartitionRegistration p, IntPredicate alive,
                                boolean unclean, int removing) {
        List<Integer> isr = new ArrayList<>(p.isr());
        isr.remove(Integer.valueOf(removing));
        if (isr.isEmpty()) {
            isr = new ArrayList<>(p.isr()); // the last ISR member stays
        }
        int leader = p.leader();
        if (leader == PartitionRegistration.NO_LEADER || !alive.test(leader) || !isr.contains(leader)) {
            leader = PartitionRegistration.NO_LEADER;
            for (int r : p.replicas()) {
                if (isr.contains(r) && alive.test(r)) {
                    leader = r;
                    break;
                }
            }
            if (leader == PartitionRegistration.NO_LEADER && unclean) {
                for (int r : p.replicas()) {
                    if (alive.test(r)) {
                        leader = r;
                        isr = List.of(r);
                        break;
                    }
                }
            }
        }
        boolean isrChanged = !new HashSet<>(isr).equals(new HashSet<>(p.isr()));
        boolean leaderChanged = leader != p.leader();
        if (!isrChanged && !leaderChanged) {
            return null;
        }
        return Records.partitionChange(topic.id(), partitionId, leaderChanged ? leader : null,
                isrChanged ? List.copyOf(isr) : null);
    }

    private interface PartitionVisitor {
        void visit(TopicImage topic, int partitionId, PartitionRegistration p);
    }

    /** Visits partitions in a deterministic order (topic name, partition id). */
    private static void forEachPartition(MetadataImage image, PartitionVisitor v) {
        for (TopicImage t : new TreeMap<>(image.topicsByName()).values()) {
            new TreeMap<>(t.partitions()).forEach((id, p) -> v.visit(t, id, p));
        }
    }
}
