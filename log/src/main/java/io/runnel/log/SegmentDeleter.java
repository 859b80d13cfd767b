package io.runnel.log;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deletes removed segments after {@code file.delete.delay.ms}, as Kafka does: the files are first renamed with
 * {@code .deleted} so a restart cleans them up, and their channel stays open until the delay has passed so that a
 * read slice taken just before the deletion can still be sent. One daemon thread serves every log in the JVM.
 */
final class SegmentDeleter {
    private static final Logger LOG = Logger.getLogger(SegmentDeleter.class.getName());
    private static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "runnel-segment-deleter");
        t.setDaemon(true);
        return t;
    });

    private SegmentDeleter() {
    }

    /** Renames the segment's files to {@code *.deleted} now and deletes them after {@code delayMs}. */
    static void delete(LogSegment segment, long delayMs) throws IOException {
        segment.renameWithSuffix(LogFiles.DELETED_SUFFIX);
        deleteRenamed(segment, delayMs);
    }

    /** Deletes, after {@code delayMs}, a segment whose files were already renamed to {@code *.deleted}. */
    static void deleteRenamed(LogSegment segment, long delayMs) throws IOException {
        if (delayMs <= 0) {
            segment.closeAndDelete(LogFiles.DELETED_SUFFIX);
            return;
        }
        SCHEDULER.schedule(() -> {
            try {
                segment.closeAndDelete(LogFiles.DELETED_SUFFIX);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "could not delete " + segment.logFile() + LogFiles.DELETED_SUFFIX, e);
            }
        }, delayMs, TimeUnit.MILLISECONDS);
    }
}
