package io.runnel.jepsen.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runnel.jepsen.check.Anomaly;
import io.runnel.jepsen.check.CheckResult;
import io.runnel.jepsen.nemesis.NemesisEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * {@code results.json}: the run's parameters, counts and verdict, e.g. {@code {"valid": true, "seed": 42,
 * "anomaly-counts": {"lost-write": 0, ...}, "anomalies": {"lost-write": [{"partition": 1, "description": "...",
 * "ops": [12, 40]}]}, "forbidden": ["lost-write", ...], ...}} (forbidden: the kinds that make the run invalid;
 * the others are reported only); at most 100 anomalies of each kind are listed (the counts are complete).
 */
public final class ResultsJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int LISTED = 100;

    private ResultsJson() {
    }

    /** Writes the file. */
    public static void write(Path file, RunInfo info, CheckResult result, List<NemesisEvent> nemesis)
            throws IOException {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("valid", result.valid());
        o.put("verdict", Summary.verdict(result));
        o.put("seed", info.seed());
        o.put("nodes", info.nodes());
        o.put("workload", info.workload());
        info.nemeses().forEach(o.putArray("nemeses")::add);
        o.put("time-limit-s", info.timeLimitSeconds());
        o.put("rate", info.rate());
        o.put("hosts", info.hosts());
        o.put("started-at", Instant.ofEpochMilli(info.startedAtEpochMs()).toString());
        o.put("elapsed-ms", info.elapsedMs());
        o.put("sends", result.sends());
        o.put("acked", result.acked());
        o.put("failed", result.failed());
        o.put("unknown", result.unknown());
        o.put("read-values", result.readValues());
        o.put("drain-complete", result.drainComplete());
        ObjectNode faults = o.putObject("faults");
        Summary.faults(nemesis).forEach(faults::put);
        ObjectNode counts = o.putObject("anomaly-counts");
        result.counts().forEach((k, v) -> counts.put(k.jsonName(), v));
        ArrayNode forbidden = o.putArray("forbidden");
        result.forbidden().forEach(k -> forbidden.add(k.jsonName()));
        ObjectNode lists = o.putObject("anomalies");
        for (Anomaly.Kind k : result.counts().keySet()) {
            List<Anomaly> of = result.anomalies().stream().filter(a -> a.kind() == k).limit(LISTED).toList();
            if (of.isEmpty()) {
                continue;
            }
            ArrayNode arr = lists.putArray(k.jsonName());
            for (Anomaly a : of) {
                ObjectNode e = arr.addObject();
                e.put("partition", a.partition());
                e.put("description", a.description());
                a.opIndexes().forEach(e.putArray("ops")::add);
            }
        }
        MAPPER.writeValue(file.toFile(), o);
    }

    /** Reads a results.json back (for tests and tools). */
    public static JsonNode read(Path file) throws IOException {
        return MAPPER.readTree(file.toFile());
    }
}
