package io.runnel.jepsen.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short system commands ({@code ip}, {@code iptables}, {@code tc}, {@code kill}) with a bound on their time. */
public final class Shell {
    private static final long LIMIT_SECONDS = 20;

    private Shell() {
    }

    /**
     * The outcome of a command.
     *
     * @param exitCode its exit code (-1 when it did not finish within the limit)
     * @param output   stdout and stderr together
     */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs {@code command}, waiting at most 20 s; never throws for a non-zero exit. */
    public static Result run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, new String(out, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /** Runs {@code command}; throws {@link IllegalStateException} with its output when it exits non-zero. */
    public static String check(String... command) {
        return check(List.of(command));
    }

    /** Runs {@code command}; throws {@link IllegalStateException} with its output when it exits non-zero. */
    public static String check(List<String> command) {
        Result r = run(command);
        if (!r.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + r.exitCode() + "): "
                    + r.output());
        }
        return r.output();
    }

    /** Runs {@code command} and ignores how it ended (cleanup steps that may find nothing to remove). */
    public static Result quiet(String... command) {
        return run(List.of(command));
    }

    /** True when {@code name} is an executable on PATH (or an absolute path to one). */
    public static boolean onPath(String name) {
        if (name.startsWith("/")) {
            return new java.io.File(name).canExecute();
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty() && new java.io.File(dir, name).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
