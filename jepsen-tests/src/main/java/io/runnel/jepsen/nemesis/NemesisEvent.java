package io.runnel.jepsen.nemesis;

import java.util.List;

/**
 * One line of a run's nemesis timeline ({@code nemesis.jsonl}): a fault started or stopped.
 *
 * @param time        nanoseconds since the run's start, on the same clock as the history
 * @param nemesis     the nemesis name ({@code partition}, {@code packet}, {@code kill}, {@code pause}, {@code clock})
 * @param action      {@code start} or {@code stop}
 * @param description what was done, for people, e.g. {@code isolate n3 (partition-0 leader)}
 * @param nodes       the node ids the fault touched
 */
public record NemesisEvent(long time, String nemesis, String action, String description, List<Integer> nodes) {
    public NemesisEvent {
        nodes = List.copyOf(nodes);
    }

    /** True for the start of a fault. */
    public boolean isStart() {
        return "start".equals(action);
    }
}
