package io.runnel.cli.reassign;

import java.util.Locale;

/**
 * One sample of a running reassignment's data copy, and its progress line:
 * {@code [#########...........]  45%  412.0 MiB copied, 503.6 MiB left, 38.2 MiB/s, ETA 13 s, 2/6 partitions done}.
 *
 * @param totalBytes     bytes the adding replicas must copy, fixed when the reassignment started (the leader's log
 *                       size per adding replica); -1 when the brokers could not tell (DescribeLogDirs failed), and
 *                       the line then shows partitions only
 * @param leftBytes      bytes the adding replicas still lack (per adding replica: the leader's size minus its own)
 * @param bytesPerSecond copy rate over the last interval, bytes/s (0 before the second sample)
 * @param donePartitions partitions of the plan no longer reassigning
 * @param partitions     partitions of the plan
 */
record CopyProgress(long totalBytes, long leftBytes, double bytesPerSecond, int donePartitions, int partitions) {
    private static final int BAR = 20;

    /** Bytes copied so far: total minus left, at least 0. */
    long copiedBytes() {
        return Math.max(0, totalBytes - leftBytes);
    }

    /** True when every partition of the plan finished. */
    boolean done() {
        return donePartitions >= partitions;
    }

    /** The progress line (no line terminator). */
    String line() {
        if (totalBytes < 0) {
            double f = partitions == 0 ? 1.0 : donePartitions / (double) partitions;
            int filled = (int) Math.round(f * BAR);
            return String.format(Locale.ROOT, "[%s%s] %3d%%  %d/%d partitions done", "#".repeat(filled),
                    ".".repeat(BAR - filled), Math.round(f * 100), donePartitions, partitions);
        }
        double fraction = done() ? 1.0 : totalBytes <= 0 ? 0.0 : Math.min(1.0, copiedBytes() / (double) totalBytes);
        int filled = (int) Math.round(fraction * BAR);
        String eta = done() ? "done" : bytesPerSecond <= 0 ? "ETA -" : "ETA " + seconds(leftBytes / bytesPerSecond);
        return String.format(Locale.ROOT, "[%s%s] %3d%%  %s copied, %s left, %s/s, %s, %d/%d partitions done",
                "#".repeat(filled), ".".repeat(BAR - filled), Math.round(fraction * 100), bytes(copiedBytes()),
                bytes(leftBytes), bytes((long) bytesPerSecond), eta, donePartitions, partitions);
    }

    /** Bytes in B, KiB, MiB or GiB with one decimal. */
    static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private static String seconds(double s) {
        long whole = (long) Math.ceil(s);
        return whole < 120 ? whole + " s" : (whole / 60) + " min " + (whole % 60) + " s";
    }
}
