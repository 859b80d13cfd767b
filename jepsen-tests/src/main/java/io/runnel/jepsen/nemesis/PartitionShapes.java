package io.runnel.jepsen.nemesis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Network partition shapes as grudges: node id -> the node ids whose packets it drops. Every grudge here is
 * symmetric (a drops b exactly when b drops a). Shapes follow Jepsen's partition nemeses (jepsen.nemesis:
 * complete-grudge, bridge, majorities-ring).
 */
public final class PartitionShapes {
    private PartitionShapes() {
    }

    /** {@code node} cut off from every other node. */
    public static Map<Integer, Set<Integer>> isolate(int node, int size) {
        List<Integer> rest = new ArrayList<>();
        for (int id = 1; id <= size; id++) {
            if (id != node) {
                rest.add(id);
            }
        }
        return complete(List.of(List.of(node), rest));
    }

    /** A random minority (size / 2 nodes) and the majority, cut off from each other. */
    public static Map<Integer, Set<Integer>> halves(int size, Random random) {
        List<Integer> ids = shuffled(size, random);
        return complete(List.of(ids.subList(0, size / 2), ids.subList(size / 2, size)));
    }

    /**
     * Two halves cut off from each other except one node, the bridge, which sees both (Jepsen's bridge): with 5
     * nodes, {a,b} and {d,e} cannot talk, c talks to everyone. Needs 3 nodes or more.
     */
    public static Map<Integer, Set<Integer>> bridge(int size, Random random) {
        List<Integer> ids = shuffled(size, random);
        int half = (size - 1) / 2;
        List<Integer> left = ids.subList(0, half);
        List<Integer> right = ids.subList(half + 1, size);
        Map<Integer, Set<Integer>> g = complete(List.of(left, right));
        g.put(ids.get(half), new TreeSet<>());
        return g;
    }

    /**
     * A ring of overlapping majorities: nodes in a random ring, each sees itself and its {@code (size / 2) / 2}
     * nearest neighbours on either side, so each sees a majority and no two see the same one. Only for sizes where
     * that is symmetric ({@code size / 2} even: 5, 9, ...); null otherwise.
     */
    public static Map<Integer, Set<Integer>> majoritiesRing(int size, Random random) {
        int others = size / 2;
        if (size < 5 || others % 2 != 0) {
            return null;
        }
        List<Integer> ring = shuffled(size, random);
        int reach = others / 2;
        Map<Integer, Set<Integer>> g = new TreeMap<>();
        for (int i = 0; i < size; i++) {
            Set<Integer> drops = new TreeSet<>();
            for (int j = 0; j < size; j++) {
                int d = Math.abs(i - j);
                int distance = Math.min(d, size - d);
                if (distance > reach) {
                    drops.add(ring.get(j));
                }
            }
            g.put(ring.get(i), drops);
        }
        return g;
    }

    /** Components that cannot reach one another (Jepsen's complete grudge). */
    public static Map<Integer, Set<Integer>> complete(List<List<Integer>> components) {
        Map<Integer, Set<Integer>> g = new TreeMap<>();
        for (List<Integer> c : components) {
            for (int node : c) {
                Set<Integer> drops = new TreeSet<>();
                for (List<Integer> other : components) {
                    if (other != c) {
                        drops.addAll(other);
                    }
                }
                g.put(node, drops);
            }
        }
        return g;
    }

    /** The grudge as text, e.g. {@code n1 x {n3,n4}; n2 x {n3,n4}}: who drops whom. */
    public static String describe(Map<Integer, Set<Integer>> grudge) {
        StringBuilder b = new StringBuilder();
        grudge.forEach((node, drops) -> {
            if (!drops.isEmpty()) {
                if (b.length() > 0) {
                    b.append("; ");
                }
                b.append('n').append(node).append(" x {");
                b.append(String.join(",", drops.stream().map(d -> "n" + d).toList())).append('}');
            }
        });
        return b.toString();
    }

    private static List<Integer> shuffled(int size, Random random) {
        List<Integer> ids = new ArrayList<>();
        for (int id = 1; id <= size; id++) {
            ids.add(id);
        }
        Collections.shuffle(ids, random);
        return ids;
    }
}
