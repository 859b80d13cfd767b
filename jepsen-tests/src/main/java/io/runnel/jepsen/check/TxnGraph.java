package io.runnel.jepsen.check;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dependency graph of the txn workload's committed transactions (nodes: the op index of each transaction's
 * completion), with Adya's edges as Jepsen's Kafka checker derives them: {@code ww} from one partition's version
 * order (the writer of the value at dense index i-1 -> the writer of the value at i) and {@code wr} (the writer of a
 * value -> each transaction that read it). Its cycles are found as strongly connected components ({@link Tarjan}):
 * a component of the whole graph is {@link Anomaly.Kind#G0} when all its edges are ww and {@link Anomaly.Kind#G1C}
 * when at least one is wr; a component of the wr edges alone is also a {@link Anomaly.Kind#G1C_WR}. Each anomaly
 * shows one shortest cycle of its component (through a wr edge when there is one) and lists that cycle's ops.
 */
final class TxnGraph {
    /** How many transactions a cycle's description names before "...". */
    private static final int SHOWN = 8;

    private final Map<Long, Integer> nodeOf = new HashMap<>();
    private final List<Long> opOf = new ArrayList<>();
    private final List<Map<Integer, String>> ww = new ArrayList<>();
    private final List<Map<Integer, String>> wr = new ArrayList<>();

    private int node(long op) {
        Integer n = nodeOf.get(op);
        if (n == null) {
            n = opOf.size();
            nodeOf.put(op, n);
            opOf.add(op);
            ww.add(new LinkedHashMap<>());
            wr.add(new LinkedHashMap<>());
        }
        return n;
    }

    /** A ww edge: transaction {@code from} wrote the value right before {@code to}'s in one partition. */
    void ww(long from, long to, String why) {
        if (from != to) {
            ww.get(node(from)).putIfAbsent(node(to), why);
        }
    }

    /** A wr edge: transaction {@code to} read a value {@code from} wrote. */
    void wr(long from, long to, String why) {
        if (from != to) {
            wr.get(node(from)).putIfAbsent(node(to), why);
        }
    }

    /** The number of transactions with an edge. */
    int size() {
        return opOf.size();
    }

    /** Adds a G0 or G1c per component of the whole graph and a G1c-wr per component of the wr edges. */
    void report(List<Anomaly> out) {
        int n = opOf.size();
        int[][] all = new int[n][];
        int[][] wrOnly = new int[n][];
        for (int v = 0; v < n; v++) {
            LinkedHashMap<Integer, Boolean> succ = new LinkedHashMap<>();
            wr.get(v).keySet().forEach(w -> succ.put(w, true));
            ww.get(v).keySet().forEach(w -> succ.putIfAbsent(w, true));
            all[v] = succ.keySet().stream().mapToInt(Integer::intValue).toArray();
            wrOnly[v] = wr.get(v).keySet().stream().mapToInt(Integer::intValue).toArray();
        }
        for (int[] scc : Tarjan.components(all)) {
            boolean[] in = members(scc, n);
            int[] wrEdge = edgeWithin(scc, in, true);
            if (wrEdge != null) {
                out.add(anomaly(Anomaly.Kind.G1C, scc.length, cycle(wrEdge, in, false)));
            } else {
                out.add(anomaly(Anomaly.Kind.G0, scc.length, cycle(edgeWithin(scc, in, false), in, false)));
            }
        }
        for (int[] scc : Tarjan.components(wrOnly)) {
            boolean[] in = members(scc, n);
            out.add(anomaly(Anomaly.Kind.G1C_WR, scc.length, cycle(edgeWithin(scc, in, true), in, true)));
        }
    }

    private static boolean[] members(int[] scc, int n) {
        boolean[] in = new boolean[n];
        for (int v : scc) {
            in[v] = true;
        }
        return in;
    }

    /** Some edge inside the component: a wr edge when {@code wrOnly} (null when there is none), else any. */
    private int[] edgeWithin(int[] scc, boolean[] in, boolean wrOnly) {
        for (int v : Arrays.stream(scc).sorted().toArray()) {
            for (int w : wr.get(v).keySet()) {
                if (in[w]) {
                    return new int[] {v, w};
                }
            }
            if (!wrOnly) {
                for (int w : ww.get(v).keySet()) {
                    if (in[w]) {
                        return new int[] {v, w};
                    }
                }
            }
        }
        return null;
    }

    /**
     * A shortest cycle through {@code edge} within the component: the edge, then a breadth-first path from its head
     * back to its tail ({@code wrOnly}: along wr edges only). Returns the nodes in order, the first repeated last.
     */
    private List<Integer> cycle(int[] edge, boolean[] in, boolean wrOnly) {
        int from = edge[0];
        int to = edge[1];
        Map<Integer, Integer> parent = new HashMap<>();
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        parent.put(to, -1);
        queue.add(to);
        while (!queue.isEmpty() && !parent.containsKey(from)) {
            int v = queue.poll();
            List<Integer> succ = new ArrayList<>(wr.get(v).keySet());
            if (!wrOnly) {
                succ.addAll(ww.get(v).keySet());
            }
            for (int w : succ) {
                if (in[w] && !parent.containsKey(w)) {
                    parent.put(w, v);
                    queue.add(w);
                }
            }
        }
        List<Integer> path = new ArrayList<>();
        for (int v = from; v != -1; v = parent.get(v)) {
            path.add(0, v);
        }
        path.add(0, from);
        return path;
    }

    private Anomaly anomaly(Anomaly.Kind kind, int componentSize, List<Integer> cycle) {
        StringBuilder sb = new StringBuilder();
        sb.append(cycle.size() - 1).append(" committed transactions in a cycle (a component of ")
                .append(componentSize).append("): op ").append(opOf.get(cycle.get(0)));
        List<Long> ops = new ArrayList<>();
        for (int i = 1; i < cycle.size(); i++) {
            int v = cycle.get(i - 1);
            int w = cycle.get(i);
            if (i <= SHOWN) {
                String why = wr.get(v).get(w);
                why = why != null ? "wr " + why : "ww " + ww.get(v).get(w);
                sb.append(" -").append(why).append("-> op ").append(opOf.get(w));
            } else if (i == SHOWN + 1) {
                sb.append(" ...");
            }
            ops.add(opOf.get(v));
        }
        return new Anomaly(kind, -1, sb.toString(), ops);
    }
}
