package io.runnel.cli.groups;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code --output json} (Runnel's addition to Kafka's tool): one JSON document per command on stdout, with the same
 * facts as the text tables and numbers as numbers ({@code null} where the text shows {@code -}).
 * <ul>
 *   <li>{@code --list}: {@code [{"group":..,"state":..,"type":..}]}</li>
 *   <li>{@code --describe}: {@code [{"group":..,"state":..,"coordinator":{"id","host","port"},
 *       "assignmentStrategy":..,"partitions":[{"topic","partition","leaderEpoch","currentOffset","logEndOffset",
 *       "lag","consumerId","host","clientId"}],"totalLag":{"topic":n}}]}; {@code --members} gives {@code "members"}
 *       ({@code consumerId, groupInstanceId, host, clientId, partitions}) instead of partitions; {@code --state}
 *       the group fields and {@code "members":n}.</li>
 * </ul>
 */
final class GroupJson {
    private GroupJson() {
    }

    static String list(List<GroupListing> groups) {
        List<Object> out = new ArrayList<>();
        for (GroupListing g : groups) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("group", g.groupId());
            m.put("state", g.groupState().orElse(GroupState.UNKNOWN).toString());
            m.put("type", g.type().orElse(GroupType.UNKNOWN).toString());
            out.add(m);
        }
        return JsonWriter.write(out);
    }

    /** @param kind {@code offsets}, {@code members} or {@code state} */
    static String describe(List<GroupReport> reports, String kind) {
        List<Object> out = new ArrayList<>();
        for (GroupReport r : reports) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("group", r.group());
            m.put("state", r.state().toString());
            if (r.missing()) {
                m.put("error", "Consumer group '" + r.group() + "' does not exist.");
                out.add(m);
                continue;
            }
            m.put("coordinator", node(r.coordinator()));
            m.put("assignmentStrategy", r.assignor() == null || r.assignor().isEmpty() ? null : r.assignor());
            switch (kind) {
                case "members" -> m.put("members", members(r));
                case "state" -> m.put("members", r.members().size());
                default -> {
                    m.put("partitions", partitions(r));
                    m.put("totalLag", new LinkedHashMap<String, Object>(r.totalLagByTopic()));
                }
            }
            out.add(m);
        }
        return JsonWriter.write(out);
    }

    private static Object node(Node n) {
        if (n == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", n.id());
        m.put("host", n.host());
        m.put("port", n.port());
        return m;
    }

    private static List<Object> partitions(GroupReport r) {
        List<Object> out = new ArrayList<>();
        for (PartitionRow p : r.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("topic", p.topic());
            m.put("partition", p.partition());
            m.put("leaderEpoch", p.leaderEpoch());
            m.put("currentOffset", p.currentOffset());
            m.put("logEndOffset", p.logEndOffset());
            m.put("lag", p.lag());
            m.put("consumerId", p.consumerId());
            m.put("host", p.host());
            m.put("clientId", p.clientId());
            out.add(m);
        }
        return out;
    }

    private static List<Object> members(GroupReport r) {
        List<Object> out = new ArrayList<>();
        for (MemberRow mr : r.members()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("consumerId", mr.consumerId());
            m.put("groupInstanceId", mr.groupInstanceId().isEmpty() ? null : mr.groupInstanceId());
            m.put("host", mr.host());
            m.put("clientId", mr.clientId());
            List<Object> parts = new ArrayList<>();
            for (TopicPartition tp : mr.assignment()) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("topic", tp.topic());
                p.put("partition", tp.partition());
                parts.add(p);
            }
            m.put("partitions", parts);
            out.add(m);
        }
        return out;
    }
}
