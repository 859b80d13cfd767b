package io.runnel.broker.replica;

import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The partition directories under {@code log.dirs}, in Kafka's layout: {@code <topic>-<partition>} holding the
 * segments and a {@code partition.metadata} file naming the topic id ({@code version: 0}, {@code topic_id: <base64>},
 * KIP-516), so that a directory left by a deleted topic is not mistaken for a new topic of the same name. A removed
 * partition's directory is renamed to {@code <topic>-<partition>.<id>-delete} and then deleted; leftovers of that
 * are deleted at startup.
 *
 * <p>Thread-safe (synchronized).
 */
public final class LogDirectories {
    /** The topic-id file in each partition directory. */
    public static final String PARTITION_METADATA = "partition.metadata";
    private static final String DELETE_SUFFIX = "-delete";
    private static final Logger LOG = LoggerFactory.getLogger(LogDirectories.class);
    private final List<Path> roots;
    private final Map<TopicPartition, Path> existing = new HashMap<>();

    /**
     * Creates missing log directories, deletes leftovers of deletions, and indexes the partition directories found.
     *
     * @throws UncheckedIOException when a log directory cannot be created or listed
     */
    public LogDirectories(List<Path> roots) {
        this.roots = List.copyOf(roots);
        for (Path root : this.roots) {
            try {
                Files.createDirectories(root);
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, Files::isDirectory)) {
                    for (Path dir : entries) {
                        String name = dir.getFileName().toString();
                        if (name.endsWith(DELETE_SUFFIX)) {
                            deleteRecursively(dir);
                            continue;
                        }
                        TopicPartition tp = parse(name);
                        if (tp != null) {
                            Path previous = existing.putIfAbsent(tp, dir);
                            if (previous != null) {
                                LOG.warn("Partition {} has directories in two log dirs, {} and {}; using the first",
                                        tp, previous, dir);
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot use log directory " + root, e);
            }
        }
    }

    /** {@code <topic>-<partition>} parsed, or null when the name has another shape. */
    static TopicPartition parse(String dirName) {
        int dash = dirName.lastIndexOf('-');
        if (dash <= 0 || dash == dirName.length() - 1) {
            return null;
        }
        try {
            int partition = Integer.parseInt(dirName.substring(dash + 1));
            return partition < 0 ? null : new TopicPartition(dirName.substring(0, dash), partition);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The directories found at startup or created since, by partition. */
    public synchronized Map<TopicPartition, Path> existing() {
        return Map.copyOf(existing);
    }

    /**
     * The directory of {@code tp} for topic {@code topicId}: the existing one if its {@code partition.metadata}
     * names that topic (or none), otherwise a fresh one after deleting the stale directory, placed in the log
     * directory holding the fewest partitions. Writes {@code partition.metadata}.
     *
     * @throws UncheckedIOException on I/O failure
     */
    public synchronized Path dirFor(TopicPartition tp, UUID topicId) {
        Path dir = existing.get(tp);
        if (dir != null) {
            Optional<UUID> recorded = readTopicId(dir);
            if (recorded.isPresent() && !recorded.get().equals(topicId)) {
                LOG.info("Deleting {}: it belongs to an earlier topic {} (id {}), not {}", dir, tp.topic(),
                        recorded.get(), topicId);
                remove(tp);
                dir = null;
            }
        }
        if (dir == null) {
            dir = leastLoadedRoot().resolve(tp.topic() + "-" + tp.partition());
            existing.put(tp, dir);
        }
        try {
            Files.createDirectories(dir);
            if (readTopicId(dir).isEmpty()) {
                writeTopicId(dir, topicId);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        return dir;
    }

    /**
     * Deletes the directories of partitions not in {@code assigned}: stray replicas, whose topic was deleted or which
     * a reassignment (KIP-455) moved away while this broker was down. Only for an image current as of this broker's
     * registration (once the controller has unfenced it), or live replicas would be lost.
     *
     * @return the partitions whose directories were deleted, sorted
     */
    public synchronized List<TopicPartition> removeStrays(Set<TopicPartition> assigned) {
        List<TopicPartition> strays = existing.keySet().stream().filter(tp -> !assigned.contains(tp)).sorted()
                .toList();
        strays.forEach(this::remove);
        return strays;
    }

    /** Renames the partition's directory to a {@code -delete} name and deletes it. Logs and ignores failures. */
    public synchronized void remove(TopicPartition tp) {
        Path dir = existing.remove(tp);
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        Path doomed = dir.resolveSibling(dir.getFileName() + "." + UUID.randomUUID().toString().replace("-", "")
                + DELETE_SUFFIX);
        try {
            Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
            deleteRecursively(doomed);
        } catch (IOException e) {
            LOG.error("Cannot delete the directory {} of removed partition {}", dir, tp, e);
        }
    }

    private Path leastLoadedRoot() {
        Map<Path, Integer> load = new HashMap<>();
        roots.forEach(r -> load.put(r, 0));
        existing.values().forEach(d -> load.computeIfPresent(d.getParent(), (r, n) -> n + 1));
        return roots.stream().min(Comparator.comparingInt(load::get)).orElseThrow();
    }

    /** The topic id a {@code partition.metadata} file records, if the file exists and parses. */
    static Optional<UUID> readTopicId(Path dir) {
        Path file = dir.resolve(PARTITION_METADATA);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith("topic_id:")) {
                    Uuid id = Uuid.fromString(line.substring("topic_id:".length()).trim());
                    return Optional.of(new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits()));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Ignoring unreadable {}: {}", file, e.toString());
        }
        return Optional.empty();
    }

    private static void writeTopicId(Path dir, UUID topicId) throws IOException {
        Uuid id = new Uuid(topicId.getMostSignificantBits(), topicId.getLeastSignificantBits());
        Path tmp = dir.resolve(PARTITION_METADATA + ".tmp");
        Files.writeString(tmp, "version: 0\ntopic_id: " + id + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(PARTITION_METADATA), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
