package io.runnel.jepsen.nemesis;

import io.runnel.jepsen.cluster.ClockControl;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Shifts the wall clock of chosen nodes through their libfaketime control files ({@link ClockControl}): a skew
 * (each target its own offset up to 10 s either way), a bump (one jump of up to 262 s either way, Jepsen's bump
 * bound of 2^18 ms), or a strobe (flipping between 0 and an offset of up to 262 s every 1 to 2 s until the fault
 * ends). The fault's end sets every clock back to real time.
 */
public final class ClockNemesis implements Nemesis {
    private static final long MAX_BUMP_MS = 1L << 18;

    private final NemesisContext ctx;
    private final Map<Integer, Path> files;
    private final List<Integer> shifted = new ArrayList<>();
    private Thread strobe;

    /** @param files node id -> its clock control file */
    public ClockNemesis(NemesisContext ctx, Map<Integer, Path> files) {
        this.ctx = ctx;
        this.files = Map.copyOf(files);
    }

    @Override
    public String name() {
        return "clock";
    }

    @Override
    public Fault start(Random random) {
        List<Integer> ids = ctx.shuffled(random);
        List<Integer> targets = new ArrayList<>(ids.subList(0, 1 + random.nextInt(ctx.size())));
        targets.sort(null);
        int mode = random.nextInt(3);
        StringBuilder what = new StringBuilder();
        if (mode == 0) {
            what.append("skew");
            for (int id : targets) {
                long offset = random.nextLong(-10_000, 10_001);
                ClockControl.set(files.get(id), offset);
                what.append(" n").append(id).append(offset >= 0 ? " +" : " ").append(offset).append("ms");
            }
        } else if (mode == 1) {
            long offset = random.nextLong(-MAX_BUMP_MS, MAX_BUMP_MS + 1);
            targets.forEach(id -> ClockControl.set(files.get(id), offset));
            what.append("bump ").append(offset >= 0 ? "+" : "").append(offset).append("ms on ")
                    .append(String.join(",", targets.stream().map(n -> "n" + n).toList()));
        } else {
            long offset = random.nextLong(-MAX_BUMP_MS, MAX_BUMP_MS + 1);
            long periodMs = 1000 + random.nextInt(1000);
            List<Path> targetFiles = targets.stream().map(files::get).toList();
            strobe = new Thread(() -> strobe(targetFiles, offset, periodMs), "clock-strobe");
            strobe.setDaemon(true);
            strobe.start();
            what.append("strobe 0/").append(offset).append("ms every ").append(periodMs).append("ms on ")
                    .append(String.join(",", targets.stream().map(n -> "n" + n).toList()));
        }
        shifted.addAll(targets);
        return new Fault(what.toString(), targets);
    }

    private static void strobe(List<Path> targets, long offset, long periodMs) {
        boolean on = false;
        while (!Thread.currentThread().isInterrupted()) {
            on = !on;
            for (Path f : targets) {
                ClockControl.set(f, on ? offset : 0);
            }
            try {
                Thread.sleep(periodMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public Fault stop() throws InterruptedException {
        if (shifted.isEmpty()) {
            return null;
        }
        if (strobe != null) {
            strobe.interrupt();
            strobe.join(5_000);
            strobe = null;
        }
        List<Integer> reset = List.copyOf(shifted);
        reset.forEach(id -> ClockControl.set(files.get(id), 0));
        shifted.clear();
        return new Fault("reset clocks of " + String.join(",", reset.stream().map(n -> "n" + n).toList()), reset);
    }
}
