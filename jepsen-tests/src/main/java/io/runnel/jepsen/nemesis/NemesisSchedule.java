package io.runnel.jepsen.nemesis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * When each nemesis starts and stops, drawn from the run's seed alone (so a seed reproduces its schedule): after a
 * quiet warm-up, every {@code interval/2} to {@code 3*interval/2} (Jepsen's {@code --nemesis-interval}) one
 * enabled nemesis is picked at random and toggled (started when idle, stopped when active); every fault active
 * for 30 s or more is stopped at the next step first. Each step carries its own seed for the fault's shape.
 * Faults still active at the time limit are stopped by the run (the heal).
 *
 * @param steps the toggles in time order
 */
public record NemesisSchedule(List<Step> steps) {
    /** No fault during the first this many ms (the workload warms up). */
    public static final long WARMUP_MS = 5_000;
    /** A fault lasts at most about this long (ms). */
    public static final long MAX_FAULT_MS = 30_000;

    /**
     * One toggle.
     *
     * @param atMs      ms since the workload's start
     * @param nemesis   which nemesis
     * @param shapeSeed the seed of the {@link java.util.Random} its {@code start} gets
     */
    public record Step(long atMs, String nemesis, long shapeSeed) {
    }

    public NemesisSchedule {
        steps = List.copyOf(steps);
    }

    /**
     * Draws the schedule.
     *
     * @param nemeses     the enabled nemesis names (none: an empty schedule)
     * @param seed        the run's seed
     * @param timeLimitMs the workload's length in ms
     * @param intervalMs  the mean time between two steps, ms
     */
    public static NemesisSchedule draw(List<String> nemeses, long seed, long timeLimitMs, long intervalMs) {
        List<Step> steps = new ArrayList<>();
        if (nemeses.isEmpty()) {
            return new NemesisSchedule(steps);
        }
        Random r = new Random(seed);
        Map<String, Long> activeSince = new HashMap<>();
        long t = Math.min(WARMUP_MS, timeLimitMs / 4);
        while (t < timeLimitMs) {
            long now = t;
            List<String> overdue = activeSince.entrySet().stream().filter(e -> now - e.getValue() >= MAX_FAULT_MS)
                    .map(Map.Entry::getKey).sorted().toList();
            long at = t;
            for (String n : overdue) {
                if (at >= timeLimitMs) {
                    break; // the heal at the time limit stops it
                }
                steps.add(new Step(at++, n, r.nextLong()));
                activeSince.remove(n);
            }
            String pick = nemeses.get(r.nextInt(nemeses.size()));
            long shapeSeed = r.nextLong();
            if (at < timeLimitMs && !overdue.contains(pick)) {
                steps.add(new Step(at, pick, shapeSeed));
                if (activeSince.remove(pick) == null) {
                    activeSince.put(pick, at);
                }
            }
            t += intervalMs / 2 + (long) (r.nextDouble() * intervalMs);
        }
        return new NemesisSchedule(steps);
    }
}
