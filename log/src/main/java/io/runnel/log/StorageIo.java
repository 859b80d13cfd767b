package io.runnel.log;

import java.io.IOException;
import java.nio.file.Path;

/** Runs the I/O steps of log operations, turning an {@link IOException} into KAFKA_STORAGE_ERROR (code 56). */
final class StorageIo {
    /** An I/O step with a result. */
    @FunctionalInterface
    interface Step<T> {
        T run() throws IOException;
    }

    /** An I/O step with no result. */
    @FunctionalInterface
    interface Action {
        void run() throws IOException;
    }

    private StorageIo() {
    }

    /** @throws LogException KAFKA_STORAGE_ERROR naming the operation and the directory */
    static <T> T call(String operation, Path dir, Step<T> step) {
        try {
            return step.run();
        } catch (IOException e) {
            throw new LogException(LogError.KAFKA_STORAGE_ERROR, operation + " of " + dir + " failed", e);
        }
    }

    /** @throws LogException KAFKA_STORAGE_ERROR naming the operation and the directory */
    static void run(String operation, Path dir, Action action) {
        call(operation, dir, () -> {
            action.run();
            return null;
        });
    }
}
