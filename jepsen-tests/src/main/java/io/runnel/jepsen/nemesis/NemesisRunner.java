package io.runnel.jepsen.nemesis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Carries out a {@link NemesisSchedule} on one thread, reporting each start and stop as a {@link NemesisEvent}
 * (times from the history's clock), and heals everything at the end ({@link #healAll}).
 */
public final class NemesisRunner implements Runnable {
    private final NemesisSchedule schedule;
    private final Map<String, Nemesis> nemeses = new LinkedHashMap<>();
    private final Map<String, String> active = new LinkedHashMap<>();
    private final LongSupplier clockNanos;
    private final Consumer<NemesisEvent> events;
    private final Consumer<String> log;
    private final long startNanos;
    private volatile boolean stopped;
    private int started;

    /**
     * @param clockNanos the history's clock (ns since the run's start)
     * @param events     receives every start and stop (the timeline)
     * @param log        receives problems (a fault that could not be applied), one line each
     */
    public NemesisRunner(NemesisSchedule schedule, List<Nemesis> nemeses, LongSupplier clockNanos,
                         Consumer<NemesisEvent> events, Consumer<String> log) {
        this.schedule = schedule;
        nemeses.forEach(n -> this.nemeses.put(n.name(), n));
        this.clockNanos = clockNanos;
        this.events = events;
        this.log = log;
        this.startNanos = clockNanos.getAsLong();
    }

    @Override
    public void run() {
        for (NemesisSchedule.Step step : schedule.steps()) {
            long waitMs = step.atMs() - (clockNanos.getAsLong() - startNanos) / 1_000_000;
            try {
                if (waitMs > 0) {
                    Thread.sleep(waitMs);
                }
            } catch (InterruptedException e) {
                return;
            }
            if (stopped) {
                return;
            }
            toggle(step);
        }
    }

    private synchronized void toggle(NemesisSchedule.Step step) {
        if (stopped) {
            return;
        }
        Nemesis n = nemeses.get(step.nemesis());
        try {
            if (active.containsKey(n.name())) {
                stop(n);
            } else {
                Nemesis.Fault f = n.start(new Random(step.shapeSeed()));
                if (f != null) {
                    active.put(n.name(), f.description());
                    started++;
                    events.accept(new NemesisEvent(clockNanos.getAsLong(), n.name(), "start", f.description(),
                            f.nodes()));
                }
            }
        } catch (Exception e) {
            log.accept("nemesis " + n.name() + ": " + e.getMessage());
        }
    }

    private void stop(Nemesis n) throws Exception {
        Nemesis.Fault f = n.stop();
        active.remove(n.name());
        if (f != null) {
            events.accept(new NemesisEvent(clockNanos.getAsLong(), n.name(), "stop", f.description(), f.nodes()));
        }
    }

    /** Stops the schedule and ends every active fault (network healed, nodes resumed and restarted, clocks reset). */
    public synchronized void healAll() {
        stopped = true;
        for (Nemesis n : nemeses.values()) {
            try {
                if (active.containsKey(n.name())) {
                    stop(n);
                } else {
                    n.stop();
                }
            } catch (Exception e) {
                log.accept("nemesis " + n.name() + " heal: " + e.getMessage());
            }
        }
        active.clear();
    }

    /** The faults active now, e.g. {@code [partition: halves ..., pause: SIGSTOP n2 (one node)]}. */
    public synchronized List<String> activeFaults() {
        List<String> l = new ArrayList<>();
        active.forEach((k, v) -> l.add(k + ": " + v));
        return l;
    }

    /** Faults started so far. */
    public synchronized int started() {
        return started;
    }
}
