package io.runnel.jepsen;

import io.runnel.metadata.quorum.MetaProperties;
import io.runnel.metadata.quorum.QuorumClient;
import io.runnel.metadata.quorum.QuorumConfig;
import io.runnel.metadata.quorum.QuorumNode;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.MetadataRecordBatch;
import io.runnel.metadata.record.TopicRecord;
import io.runnel.metadata.record.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node whose newest metadata snapshot file is damaged refuses to start: a real process, made to snapshot early
 * ({@code metadata.log.max.entries.between.snapshots=5}), stopped cleanly with SIGTERM, its latest snapshot file's
 * bytes flipped; the restart exits non-zero with one error line naming the file.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CorruptSnapshotProcessTest {
    @TempDir
    Path dir;
    private ProcessCluster cluster;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static MetadataRecordBatch topic(String name) {
        UUID id = UUID.randomUUID();
        return MetadataRecordBatch.newBuilder().addRecords(MetadataRecord.newBuilder().setTopic(TopicRecord.newBuilder()
                .setName(name).setTopicId(Uuid.newBuilder().setMostSignificantBits(id.getMostSignificantBits())
                        .setLeastSignificantBits(id.getLeastSignificantBits())))).build();
    }

    /** Snapshot files ({@code snapshot.<term>_<index>}) under {@code root}, newest (highest index) last. */
    private static List<Path> snapshots(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().matches("snapshot\\.\\d+_\\d+"))
                    .sorted(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString()
                            .replaceAll(".*_", "")))).toList();
        }
    }

    @Test
    void aCorruptLatestSnapshotStopsTheStartNamingTheFile() throws Exception {
        cluster = new ProcessCluster(dir, 1, false, Map.of(QuorumConfig.SNAPSHOT_ENTRIES_KEY, "5"));
        NodeProcess node = cluster.node(1);
        node.start();
        node.awaitLog("Listening on CONTROLLER", Duration.ofSeconds(90));
        Path data = dir.resolve("data/node-1");
        try (QuorumClient client = new QuorumClient(QuorumNode.group(MetaProperties.read(data).clusterId(),
                QuorumConfig.parseVoters(cluster.voters())))) {
            for (int i = 0; i < 12; i++) {
                assertEquals(0, client.submit(topic("t" + i)).get(30, TimeUnit.SECONDS).getErrorCode());
            }
        }
        Waits.await("a snapshot file", Duration.ofSeconds(30), () -> {
            try {
                return !snapshots(data).isEmpty();
            } catch (IOException e) {
                return false;
            }
        });
        node.terminate(Duration.ofSeconds(60));

        List<Path> files = snapshots(data);
        Path latest = files.get(files.size() - 1);
        byte[] bytes = Files.readAllBytes(latest);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(latest, bytes);

        node.start();
        int exit = node.awaitExit(Duration.ofSeconds(90));
        assertNotEquals(0, exit, node.log().toString());
        List<String> errors = node.log().stream().filter(l -> l.startsWith("runnel: ")).toList();
        assertEquals(1, errors.size(), node.log().toString());
        assertTrue(errors.get(0).contains(latest.toAbsolutePath().toString()), errors.get(0));
        assertTrue(errors.get(0).contains("Corrupt metadata snapshot"), errors.get(0));
    }
}
