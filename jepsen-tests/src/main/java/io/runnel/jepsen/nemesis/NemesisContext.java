package io.runnel.jepsen.nemesis;

import io.runnel.jepsen.cluster.JepsenCluster;
import io.runnel.jepsen.host.Hosts;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * What a nemesis acts on: the cluster's nodes, their hosts, and the workload's topic (whose partition 0's leader
 * some faults target).
 */
public record NemesisContext(JepsenCluster cluster, Hosts hosts, String topic) {

    /** The cluster size. */
    public int size() {
        return cluster.size();
    }

    /**
     * A target set drawn from {@code random}: one random node, the partition-0 leader, the active controller, a
     * random minority or a random majority. A leader or controller that cannot be looked up becomes a random node.
     *
     * @return the node ids (sorted) and a label, e.g. {@code partition-0 leader}
     */
    public Targets targets(Random random) {
        int kind = random.nextInt(5);
        List<Integer> ids = shuffled(random);
        switch (kind) {
            case 1 -> {
                int leader = cluster.leader(topic, 0);
                if (leader > 0) {
                    return new Targets(List.of(leader), "partition-0 leader");
                }
            }
            case 2 -> {
                int controller = cluster.activeController();
                if (controller > 0) {
                    return new Targets(List.of(controller), "active controller");
                }
            }
            case 3 -> {
                int n = 1 + random.nextInt(Math.max(1, (size() - 1) / 2));
                return new Targets(sorted(ids.subList(0, n)), "minority");
            }
            case 4 -> {
                return new Targets(sorted(ids.subList(0, size() / 2 + 1)), "majority");
            }
            default -> {
            }
        }
        return new Targets(List.of(ids.get(0)), "one node");
    }

    /** Node ids 1..n in an order drawn from {@code random}. */
    public List<Integer> shuffled(Random random) {
        List<Integer> ids = new ArrayList<>();
        for (int id = 1; id <= size(); id++) {
            ids.add(id);
        }
        Collections.shuffle(ids, random);
        return ids;
    }

    private static List<Integer> sorted(List<Integer> ids) {
        List<Integer> s = new ArrayList<>(ids);
        Collections.sort(s);
        return s;
    }

    /**
     * Nodes a fault acts on.
     *
     * @param nodes node ids
     * @param label how they were chosen
     */
    public record Targets(List<Integer> nodes, String label) {
        /** e.g. {@code n2,n4 (minority)}. */
        public String describe() {
            return String.join(",", nodes.stream().map(n -> "n" + n).toList()) + " (" + label + ")";
        }
    }
}
