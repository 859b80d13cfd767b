package io.runnel.jepsen.run;

import io.runnel.jepsen.history.History;
import io.runnel.jepsen.history.Op;
import io.runnel.jepsen.nemesis.NemesisRunner;
import java.io.PrintStream;

/**
 * The progress line every 5 s while a run's workload goes: elapsed, completed operations by outcome, the faults
 * active now.
 */
final class Progress {
    private static final long EVERY_MS = 5_000;

    private Progress() {
    }

    /** Prints progress until {@code seconds} have passed since the call; returns then. */
    static void report(PrintStream out, History history, NemesisRunner nemesis, int seconds)
            throws InterruptedException {
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        while (true) {
            long left = (end - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return;
            }
            Thread.sleep(Math.min(EVERY_MS, left));
            long elapsed = (System.nanoTime() - start) / 1_000_000_000L;
            var faults = nemesis.activeFaults();
            String text = faults.isEmpty() ? "none" : String.join("; ", faults);
            if (text.length() > 160) {
                text = text.substring(0, 157) + "...";
            }
            long ok = history.count(Op.Type.OK);
            long fail = history.count(Op.Type.FAIL);
            long info = history.count(Op.Type.INFO);
            out.printf("[%4d/%d s] %,d ops: ok %,d, fail %,d, info %,d | faults: %s%n", elapsed, seconds,
                    ok + fail + info, ok, fail, info, text);
        }
    }
}
