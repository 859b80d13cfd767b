package io.runnel.metadata.image;

import java.io.IOException;
import java.nio.file.Path;

/** A snapshot file failed its checks (magic, version, length, CRC-32C or content); the message names the file. */
public final class CorruptSnapshotException extends IOException {
    private final Path file;

    public CorruptSnapshotException(Path file, String reason, Throwable cause) {
        super("Corrupt metadata snapshot " + file.toAbsolutePath() + ": " + reason, cause);
        this.file = file;
    }

    /** The file that failed. */
    public Path file() {
        return file;
    }
}
