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

    /**
     * The cluster id of the node whose storage is {@code dir}: at its first start (no file) {@code configuredClusterId}
     * if set, else {@code newClusterId}, recorded with the node id; later, the recorded one, after checking it
     * against the configured ids ({@link #requireMatches}). Broker-only nodes use this; voters also format Ratis.
     *
     * @throws IOException when the recorded ids differ from the configured ones (naming both), or on I/O failure
     */
    public static String claim(Path dir, String configuredClusterId, int nodeId, String newClusterId)
            throws IOException {
        MetaProperties stored = read(dir);
        if (stored == null) {
            String id = configuredClusterId != null ? configuredClusterId : newClusterId;
            new MetaProperties(id, nodeId).write(dir);
            return id;
        }
        stored.requireMatches(dir, configuredClusterId, nodeId);
        return stored.clusterId();
    }

    /**
     * Checks the configured ids against this recorded content of {@code dir}'s file.
     *
     * @param configuredClusterId {@code cluster.id}, or null when not configured (anything matches)
     * @throws IOException naming both values when the cluster id or the node id differs
     */
    public void requireMatches(Path dir, String configuredClusterId, int configuredNodeId) throws IOException {
        if (configuredClusterId != null && !configuredClusterId.equals(clusterId)) {
            throw new IOException("Storage " + dir.toAbsolutePath() + " belongs to cluster " + clusterId
                    + " but cluster.id is configured as " + configuredClusterId);
        }
        if (nodeId != configuredNodeId) {
            throw new IOException("Storage " + dir.toAbsolutePath() + " belongs to node " + nodeId
                    + " but node.id is configured as " + configuredNodeId);
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
