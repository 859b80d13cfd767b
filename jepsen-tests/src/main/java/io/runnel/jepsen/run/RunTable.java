package io.runnel.jepsen.run;

import io.runnel.jepsen.check.Anomaly;
import java.util.List;
import java.util.Map;

/** The table {@code --runs N} prints at the end: one row per run with its seed, counts and verdict. */
final class RunTable {
    private RunTable() {
    }

    /** The table as text (Markdown, so it can go into a note as it is). */
    static String format(List<RunOutcome> outcomes) {
        // Every run of a series has the same workload, so the same checked kinds.
        java.util.Set<Anomaly.Kind> kinds = outcomes.isEmpty() ? Anomaly.Kind.QUEUE
                : outcomes.get(0).result().counts().keySet();
        StringBuilder b = new StringBuilder("\n| run | seed | ops | faults | sends | acked | unknown |");
        for (Anomaly.Kind k : kinds) {
            b.append(' ').append(k.jsonName()).append(" |");
        }
        b.append(" verdict |\n|---|---|---|---|---|---|---|");
        b.append("---|".repeat(kinds.size())).append("---|\n");
        int i = 1;
        for (RunOutcome o : outcomes) {
            var r = o.result();
            b.append(String.format("| %d | %d | %,d | %d | %,d | %,d | %,d |", i++, o.seed(), o.ops(), o.faults(),
                    r.sends(), r.acked(), r.unknown()));
            Map<Anomaly.Kind, Integer> counts = r.counts();
            for (Anomaly.Kind k : kinds) {
                b.append(' ').append(counts.getOrDefault(k, 0)).append(" |");
            }
            b.append(r.valid() ? " valid" : " INVALID").append(o.crashed().isEmpty() ? "" : " (crashed: "
                    + o.crashed() + ")").append(" |\n");
        }
        long invalid = outcomes.stream().filter(o -> !o.result().valid()).count();
        b.append(String.format("%n%d of %d runs valid%n", outcomes.size() - invalid, outcomes.size()));
        return b.toString();
    }
}
