package io.runnel.metadata.quorum;

import static io.runnel.metadata.quorum.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.image.CorruptSnapshotException;
import io.runnel.metadata.record.MetadataApplyReply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A one-voter quorum: formatting, recovery from snapshot plus log, and the refusals at start. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QuorumNodeTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private QuorumConfig single(String clusterId) {
        return TestSupport.config(1, TestSupport.voters(TestSupport.freePorts(1)), dir, clusterId);
    }

    /** Writes {@code count} topics and returns the node's image digest after them. */
    private static String writeTopics(QuorumNode node, int count) throws Exception {
        await("leader", WAIT, node::isLeaderReady);
        try (QuorumClient client = new QuorumClient(node.group())) {
            for (int i = 0; i < count; i++) {
                MetadataApplyReply r = client.submit(TestSupport.topicBatch("topic-" + i))
                        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertEquals(ErrorCode.NONE, QuorumClient.error(r), r.getErrorMessage());
            }
        }
        return node.stateMachine().image().digest();
    }

    private static List<Path> snapshotFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().matches("snapshot\\.\\d+_\\d+")).toList();
        }
    }

    @Test
    void firstStartFormatsAndWritesMetaPropertiesThenRestartRecoversTheImage() throws Exception {
        QuorumConfig config = single(null);
        String digest;
        try (QuorumNode node = QuorumNode.start(config, 4)) {
            assertEquals(new MetaProperties(node.clusterId(), 1), MetaProperties.read(dir));
            assertEquals(ClusterIds.derive(config.voters()), node.clusterId());
            digest = writeTopics(node, 10);
        }
        assertTrue(!snapshotFiles(dir).isEmpty(), "a snapshot was taken");
        try (QuorumNode node = QuorumNode.start(config, 4)) {
            await("recovered image", WAIT, () -> node.stateMachine().image().topicsByName().size() == 10);
            assertEquals(digest, node.stateMachine().image().digest());
        }
    }

    @Test
    void storageOfAnotherClusterIsRefusedNamingBothIds() throws Exception {
        QuorumConfig first = single("AAAAAAAAAAAAAAAAAAAAAA");
        QuorumNode.start(first).close();
        QuorumConfig other = TestSupport.config(1, TestSupport.voters(List.of(first.voters().get(0).port())), dir,
                "BBBBBBBBBBBBBBBBBBBBBB");
        IOException e = assertThrows(IOException.class, () -> QuorumNode.start(other));
        assertTrue(e.getMessage().contains("AAAAAAAAAAAAAAAAAAAAAA") && e.getMessage().contains("BBBBBBBBBBBBBBBBBBBBBB"),
                e.getMessage());
    }

    @Test
    void corruptSnapshotFailsTheStartNamingTheFile() throws Exception {
        QuorumConfig config = single(null);
        try (QuorumNode node = QuorumNode.start(config, 2)) {
            writeTopics(node, 5);
        }
        List<Path> snapshots = snapshotFiles(dir);
        assertTrue(!snapshots.isEmpty(), "a snapshot was taken");
        for (Path p : snapshots) {
            byte[] bytes = Files.readAllBytes(p);
            bytes[bytes.length / 2] ^= 0x5a;
            Files.write(p, bytes);
        }
        CorruptSnapshotException e = assertThrows(CorruptSnapshotException.class,
                () -> QuorumNode.start(config, 2).close());
        assertTrue(snapshots.contains(e.file()), e.getMessage());
        assertTrue(e.getMessage().contains(e.file().toAbsolutePath().toString()), e.getMessage());
    }

    @Test
    void aNodeOutsideTheVotersIsRefused() {
        QuorumConfig config = TestSupport.config(7, "1@127.0.0.1:1", dir, null);
        ConfigException e = assertThrows(ConfigException.class, () -> QuorumNode.start(config));
        assertTrue(e.getMessage().contains("node.id 7"), e.getMessage());
    }
}
