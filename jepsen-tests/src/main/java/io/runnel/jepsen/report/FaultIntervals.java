package io.runnel.jepsen.report;

import io.runnel.jepsen.nemesis.NemesisEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Pairs each fault start with the next stop of the same nemesis (or the run's end): the shaded bands of the plots. */
final class FaultIntervals {
    /**
     * One fault.
     *
     * @param nemesis  its nemesis
     * @param startSec start, seconds since the run's start
     * @param endSec   end, seconds since the run's start
     */
    record Interval(String nemesis, double startSec, double endSec) {
    }

    private FaultIntervals() {
    }

    static List<Interval> of(List<NemesisEvent> events, double runEndSec) {
        List<Interval> out = new ArrayList<>();
        Map<String, Double> open = new HashMap<>();
        for (NemesisEvent e : events) {
            double t = e.time() / 1e9;
            if (e.isStart()) {
                open.putIfAbsent(e.nemesis(), t);
            } else {
                Double start = open.remove(e.nemesis());
                if (start != null) {
                    out.add(new Interval(e.nemesis(), start, t));
                }
            }
        }
        open.forEach((n, start) -> out.add(new Interval(n, start, Math.max(start, runEndSec))));
        return out;
    }
}
