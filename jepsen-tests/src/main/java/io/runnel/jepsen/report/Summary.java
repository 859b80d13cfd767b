package io.runnel.jepsen.report;

import io.runnel.jepsen.check.Anomaly;
import io.runnel.jepsen.check.CheckResult;
import io.runnel.jepsen.nemesis.NemesisEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The one-screen text summary of a run ({@code summary.txt}, also printed at the end of the run). */
public final class Summary {
    private static final int EXAMPLES = 3;

    private Summary() {
    }

    /** At most about 40 lines of at most 110 characters. */
    public static String text(RunInfo info, CheckResult result, List<NemesisEvent> nemesis) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%nRun: %s workload, %d nodes (%s), nemesis %s, %d s at %d ops/s, seed %d%n",
                info.workload(), info.nodes(), info.hosts(),
                info.nemeses().isEmpty() ? "none" : String.join(",", info.nemeses()), info.timeLimitSeconds(),
                info.rate(), info.seed()));
        b.append(String.format("Started %s, took %.0f s%n", Instant.ofEpochMilli(info.startedAtEpochMs()),
                info.elapsedMs() / 1000.0));
        b.append(String.format("Sends: %,d (acknowledged %,d, failed %,d, unknown %,d); distinct values read %,d%n",
                result.sends(), result.acked(), result.failed(), result.unknown(), result.readValues()));
        b.append("Final drain: ").append(result.drainComplete() ? "read every partition to its end offset"
                : "INCOMPLETE (could not read every partition to its end)").append('\n');
        Map<String, Integer> faults = faults(nemesis);
        b.append("Faults started: ").append(faults.isEmpty() ? "none" : faults.toString()
                .replace("{", "").replace("}", "")).append("\n\n");
        Map<Anomaly.Kind, Integer> counts = result.counts();
        b.append(String.format("%-22s %s%n", "anomaly", "count"));
        for (Anomaly.Kind k : counts.keySet()) {
            b.append(String.format("%-22s %,d%s%n", k.jsonName(), counts.get(k),
                    result.forbidden().contains(k) ? "" : "   (reported; allowed by the model)"));
        }
        for (Anomaly.Kind k : counts.keySet()) {
            int n = counts.get(k);
            if (n == 0) {
                continue;
            }
            b.append('\n').append(k.jsonName()).append(":\n");
            result.anomalies().stream().filter(a -> a.kind() == k).limit(EXAMPLES)
                    .forEach(a -> b.append("  ").append(clip(a.description())).append('\n'));
            if (n > EXAMPLES) {
                b.append(String.format("  ... and %,d more (results.json lists the first 100)%n", n - EXAMPLES));
            }
        }
        b.append('\n').append(verdict(result)).append('\n');
        return b.toString();
    }

    /** {@code VALID}, or {@code INVALID: } and the forbidden kinds found (and an incomplete drain). */
    public static String verdict(CheckResult result) {
        if (result.valid()) {
            return "VALID";
        }
        List<String> kinds = new java.util.ArrayList<>(result.counts().entrySet().stream()
                .filter(e -> e.getValue() > 0 && result.forbidden().contains(e.getKey()))
                .map(e -> e.getKey().jsonName()).toList());
        if (!result.drainComplete()) {
            kinds.add("incomplete-drain");
        }
        return "INVALID: " + String.join(", ", kinds);
    }

    static Map<String, Integer> faults(List<NemesisEvent> nemesis) {
        Map<String, Integer> m = new TreeMap<>();
        nemesis.stream().filter(NemesisEvent::isStart).forEach(e -> m.merge(e.nemesis(), 1, Integer::sum));
        return m;
    }

    private static String clip(String s) {
        return s.length() > 106 ? s.substring(0, 103) + "..." : s;
    }
}
