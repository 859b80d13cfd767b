package io.runnel.jepsen.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * A node's wall clock, shifted per process with Debian's libfaketime ({@code faketime} package): the node runs with
 * {@code LD_PRELOAD=libfaketime.so.1} and reads its offset from a control file ({@code FAKETIME_TIMESTAMP_FILE}) that
 * the clock nemesis rewrites, e.g. {@code +30s} or {@code -262s}. Measured on JDK 17 here (2026-12-05):
 * {@code FAKETIME_DONT_FAKE_MONOTONIC=1} keeps System.nanoTime real (the JVM's timers and Ratis' timeouts are
 * monotonic); {@code FAKETIME_FORCE_MONOTONIC_FIX=0} is needed as well, without it every sleeping JVM thread
 * busy-loops (a 3 s test used 6 s of CPU instead of 0.1 s); {@code FAKETIME_CACHE_DURATION=1} re-reads the file at
 * most once a second, so a change takes effect within about a second (re-reading on every call cost as much CPU).
 * Only CLOCK_REALTIME moves: System.currentTimeMillis, Instant.now, record timestamps, retention.
 */
public final class ClockControl {
    /** Where Debian installs the library. */
    public static final List<String> LIBRARIES = List.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
            "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1", "/usr/lib/faketime/libfaketime.so.1");

    private ClockControl() {
    }

    /** The installed libfaketime, or null. */
    public static String library() {
        return LIBRARIES.stream().filter(l -> Files.isReadable(Path.of(l))).findFirst().orElse(null);
    }

    /** The environment that puts a process's wall clock under {@code file}'s control. */
    public static Map<String, String> environment(Path file) {
        String lib = library();
        if (lib == null) {
            throw new IllegalStateException("the clock nemesis needs libfaketime (apt-get install -y faketime)");
        }
        set(file, 0);
        return Map.of("LD_PRELOAD", lib, "FAKETIME_TIMESTAMP_FILE", file.toString(),
                "FAKETIME_DONT_FAKE_MONOTONIC", "1", "FAKETIME_FORCE_MONOTONIC_FIX", "0",
                "FAKETIME_CACHE_DURATION", "1");
    }

    /** Sets the offset of the clock {@code file} controls to {@code offsetMs} (atomically replaced). */
    public static void set(Path file, long offsetMs) {
        String text = (offsetMs >= 0 ? "+" : "-") + String.format(java.util.Locale.ROOT, "%.3fs",
                Math.abs(offsetMs) / 1000.0) + "\n";
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
