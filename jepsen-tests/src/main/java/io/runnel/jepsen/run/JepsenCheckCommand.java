package io.runnel.jepsen.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.runnel.jepsen.check.CheckResult;
import io.runnel.jepsen.check.KvChecker;
import io.runnel.jepsen.check.QueueChecker;
import io.runnel.jepsen.check.TxnChecker;
import io.runnel.jepsen.history.HistoryJson;
import io.runnel.jepsen.history.Op;
import io.runnel.jepsen.nemesis.NemesisEvent;
import io.runnel.jepsen.report.NemesisTimeline;
import io.runnel.jepsen.report.ResultsJson;
import io.runnel.jepsen.report.RunInfo;
import io.runnel.jepsen.report.Summary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code runnel jepsen check DIR...}: checks the {@code history.jsonl} of finished runs again (e.g. with a newer
 * checker: the kv checker for a history holding kv {@code write}s, the txn checker for one holding {@code txn}s,
 * else the queue checker) and prints each
 * summary; exit code 0 when every history is valid, 1 otherwise. Nothing is rewritten.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Check the history of one or more finished runs again and print their summaries.")
final class JepsenCheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", arity = "1..*", description = "Run directories (holding history.jsonl).")
    List<Path> dirs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        boolean valid = true;
        for (Path dir : dirs) {
            Path history = dir.resolve("history.jsonl");
            if (!Files.isRegularFile(history)) {
                throw new ParameterException(spec.commandLine(), dir + " holds no history.jsonl");
            }
            List<Op> ops = HistoryJson.read(history);
            String workload = ops.stream().anyMatch(o -> o.f() == Op.F.WRITE) ? "kv"
                    : ops.stream().anyMatch(o -> o.f() == Op.F.TXN) ? "txn" : "queue";
            CheckResult r = switch (workload) {
                case "kv" -> KvChecker.check(ops);
                case "txn" -> TxnChecker.check(ops);
                default -> QueueChecker.check(ops);
            };
            Path timeline = dir.resolve("nemesis.jsonl");
            List<NemesisEvent> events = Files.exists(timeline) ? NemesisTimeline.read(timeline) : List.of();
            spec.commandLine().getOut().println(dir);
            spec.commandLine().getOut().print(Summary.text(info(dir, workload), r, events));
            valid &= r.valid();
        }
        return valid ? 0 : 1;
    }

    private static RunInfo info(Path dir, String workload) {
        try {
            JsonNode o = ResultsJson.read(dir.resolve("results.json"));
            List<String> nemeses = new ArrayList<>();
            o.path("nemeses").forEach(n -> nemeses.add(n.asText()));
            return new RunInfo(o.path("seed").asLong(), o.path("nodes").asInt(), o.path("workload").asText(),
                    nemeses, o.path("time-limit-s").asInt(), o.path("rate").asInt(), o.path("hosts").asText(),
                    Instant.parse(o.path("started-at").asText()).toEpochMilli(), o.path("elapsed-ms").asLong());
        } catch (Exception e) {
            return new RunInfo(-1, 0, workload, List.of(), 0, 0, "?", 0, 0);
        }
    }
}
