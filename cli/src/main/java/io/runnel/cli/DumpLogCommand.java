package io.runnel.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code runnel dump-log --files F1[,F2...] [--deep-iteration]}: prints the record batches of log segment files in
 * the layout of Kafka's {@code kafka-dump-log.sh --files} (DumpLogSegments), so existing habits and scripts carry
 * over. Reads the files only; safe to run against a live broker's segments.
 */
@Command(
        name = "dump-log",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Print the record batches of log segment files (*.log), one line per batch, like kafka-dump-log.sh.",
            "A torn or corrupt tail is reported as 'Found <N> invalid bytes at the end of <file>'."
        })
public final class DumpLogCommand implements Callable<Integer> {

    @Option(
            names = "--files",
            required = true,
            split = ",",
            paramLabel = "FILE",
            description = "Comma-separated segment files to dump, e.g. 00000000000000000000.log.")
    List<Path> files;

    @Option(
            names = "--deep-iteration",
            description = "Also print one line per record (offset, timestamp, key and value sizes in bytes).")
    boolean deepIteration;

    @Spec
    CommandSpec spec;

    /**
     * Checks every file first (so a typo fails before any output), then dumps them in order.
     *
     * @return 0 when every file was dumped (invalid tails included: reporting them is the point)
     * @throws CliException naming the first missing, unreadable or non-segment file
     */
    @Override
    public Integer call() {
        for (Path file : files) {
            check(file);
        }
        PrintWriter out = spec.commandLine().getOut();
        SegmentDumper dumper = new SegmentDumper(out, deepIteration);
        try {
            for (Path file : files) {
                dumper.dump(file);
            }
        } finally {
            out.flush();
        }
        return 0;
    }

    private static void check(Path file) {
        if (!Files.exists(file)) {
            throw new CliException("no such file: " + file);
        }
        if (Files.isDirectory(file)) {
            throw new CliException(file + " is a directory; pass the segment files in it, e.g. " + file
                    + "/00000000000000000000.log");
        }
        if (!file.getFileName().toString().endsWith(".log")) {
            throw new CliException(file + " is not a log segment (*.log); index files are not supported yet");
        }
        if (!Files.isReadable(file)) {
            throw new CliException("cannot read " + file + ": permission denied");
        }
        try {
            if (!Files.isRegularFile(file)) {
                throw new CliException(file + " is not a regular file");
            }
            Files.size(file);
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
