package io.runnel.jepsen.host;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code tc netem} shaping of a node's outgoing packets (netem shapes egress only; see tc-netem(8)).
 *
 * @param delayMs          added delay in ms (0: none)
 * @param jitterMs         delay variation in ms (normal distribution)
 * @param lossPercent      packets dropped, percent
 * @param duplicatePercent packets sent twice, percent
 * @param reorderPercent   packets sent at once (ahead of the delayed ones), percent; needs a delay
 */
public record Netem(int delayMs, int jitterMs, double lossPercent, double duplicatePercent, double reorderPercent) {

    /** The netem arguments after {@code netem}, e.g. {@code delay 50ms 25ms distribution normal loss 10%}. */
    public List<String> args() {
        List<String> a = new ArrayList<>();
        if (delayMs > 0) {
            a.addAll(List.of("delay", delayMs + "ms"));
            if (jitterMs > 0) {
                a.addAll(List.of(jitterMs + "ms", "distribution", "normal"));
            }
        }
        if (lossPercent > 0) {
            a.addAll(List.of("loss", lossPercent + "%"));
        }
        if (duplicatePercent > 0) {
            a.addAll(List.of("duplicate", duplicatePercent + "%"));
        }
        if (reorderPercent > 0 && delayMs > 0) {
            a.addAll(List.of("reorder", reorderPercent + "%", "50%"));
        }
        return a;
    }

    @Override
    public String toString() {
        return String.join(" ", args());
    }
}
