package io.runnel.cli.reassign;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;

/**
 * The {@code --dry-run} view of a plan: one row per partition that changes (current and target replicas, the
 * replicas added and removed, the preferred leader's move), then per broker its replica and preferred-leader counts
 * before and after, then a one-line summary. Also the ordering and list formatting shared by the command's output.
 */
final class PlanTable {
    /** Kafka's order for partitions in the tool's output: topic name, then partition number. */
    static final Comparator<TopicPartition> ORDER = Comparator.comparing(TopicPartition::topic)
            .thenComparingInt(TopicPartition::partition);

    private PlanTable() {
    }

    static List<TopicPartition> sorted(Collection<TopicPartition> tps) {
        List<TopicPartition> out = new ArrayList<>(tps);
        out.sort(ORDER);
        return out;
    }

    /** Broker ids joined with commas, as Kafka's tools print replica lists. */
    static String ids(Collection<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /**
     * Prints the plan.
     *
     * @param current the current replicas of every partition (for the per-broker counts)
     * @param plan    the target replicas of the partitions that change
     */
    static void print(PrintWriter out, Map<TopicPartition, List<Integer>> current,
                      Map<TopicPartition, List<Integer>> plan) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"PARTITION", "CURRENT", "TARGET", "ADD", "REMOVE", "PREFERRED LEADER"});
        int moves = 0;
        int leaderMoves = 0;
        for (TopicPartition tp : sorted(plan.keySet())) {
            List<Integer> from = current.get(tp);
            List<Integer> to = plan.get(tp);
            List<Integer> add = to.stream().filter(b -> !from.contains(b)).toList();
            List<Integer> remove = from.stream().filter(b -> !to.contains(b)).toList();
            moves += add.size();
            boolean leaderMove = !from.get(0).equals(to.get(0));
            leaderMoves += leaderMove ? 1 : 0;
            rows.add(new String[] {tp.toString(), ids(from), ids(to), dash(add), dash(remove),
                leaderMove ? from.get(0) + " -> " + to.get(0) : "-"});
        }
        table(out, rows);
        out.println();
        Map<Integer, int[]> brokers = new TreeMap<>();
        current.forEach((tp, r) -> count(brokers, r, 0));
        Map<TopicPartition, List<Integer>> after = new TreeMap<>(ORDER);
        after.putAll(current);
        after.putAll(plan);
        after.forEach((tp, r) -> count(brokers, r, 2));
        List<String[]> perBroker = new ArrayList<>();
        perBroker.add(new String[] {"BROKER", "REPLICAS BEFORE", "REPLICAS AFTER", "LEADERS BEFORE", "LEADERS AFTER"});
        brokers.forEach((b, c) -> perBroker.add(new String[] {String.valueOf(b), String.valueOf(c[0]),
            String.valueOf(c[2]), String.valueOf(c[1]), String.valueOf(c[3])}));
        table(out, perBroker);
        out.println();
        out.println(plan.size() + " partition(s) change: " + moves + " replica(s) to copy, " + leaderMoves
                + " preferred leader change(s).");
    }

    private static void count(Map<Integer, int[]> brokers, List<Integer> replicas, int offset) {
        for (int i = 0; i < replicas.size(); i++) {
            int[] c = brokers.computeIfAbsent(replicas.get(i), b -> new int[4]);
            c[offset]++;
            if (i == 0) {
                c[offset + 1]++;
            }
        }
    }

    private static String dash(List<Integer> ids) {
        return ids.isEmpty() ? "-" : ids(new TreeSet<>(ids));
    }

    private static void table(PrintWriter out, List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + (width[i] + 2) + "s", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
