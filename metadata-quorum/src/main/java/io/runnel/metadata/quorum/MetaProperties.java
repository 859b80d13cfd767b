package io.runnel.metadata.quorum;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * {@code meta.properties} in the metadata log directory, Kafka's format (version 1): {@code version}, {@code
 * cluster.id}, {@code node.id}. Written once at a node's first start; every later start checks the configured ids
 * against it.
 */
public record MetaProperties(String clusterId, int nodeId) {
    public static final String FILE_NAME = "meta.properties";

    /** The file's content in {@code dir}, or null when there is none (a new node). */
    public static MetaProperties read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return null;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        String clusterId = p.getProperty("cluster.id");
        String nodeId = p.getProperty("node.id");
        if (!"1".equals(p.getProperty("version")) || clusterId == null || nodeId == null) {
            throw new IOException(file.toAbsolutePath() + " is not a version 1 meta.properties with cluster.id and "
                    + "node.id");
        }
        try {
            return new MetaProperties(clusterId, Integer.parseInt(nodeId.trim()));
        } catch (NumberFormatException e) {
            throw new IOException(file.toAbsolutePath() + " has a malformed node.id: " + nodeId, e);
        }
    }

    /** Writes the file into {@code dir} atomically, creating the directory. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Properties p = new Properties();
        p.setProperty("version", "1");
        p.setProperty("cluster.id", clusterId);
        p.setProperty("node.id", String.valueOf(nodeId));
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "Written by Runnel at this node's first start. Do not edit.");
        }
        Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
