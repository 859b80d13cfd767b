package io.runnel.metadata.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuorumConfigTest {
    @Test
    void parsesKafkaKeys() {
        QuorumConfig c = QuorumConfig.from(Map.of("node.id", "2",
                "controller.quorum.voters", "3@127.0.0.1:9097, 1@127.0.0.1:9093,2@[::1]:9095",
                "log.dirs", "/data/a,/data/b"));
        assertEquals(2, c.nodeId());
        assertEquals(List.of(new QuorumVoter(1, "127.0.0.1", 9093), new QuorumVoter(2, "::1", 9095),
                new QuorumVoter(3, "127.0.0.1", 9097)), c.voters());
        assertEquals("[::1]:9095", c.self().address());
        assertEquals(Path.of("/data/a"), c.metadataLogDir());
        assertNull(c.clusterId());
    }

    @Test
    void metadataLogDirWinsOverLogDirs() {
        QuorumConfig c = QuorumConfig.from(Map.of("node.id", "1", "controller.quorum.voters", "1@h:1",
                "log.dirs", "/a", "metadata.log.dir", "/m", "cluster.id", "abc"));
        assertEquals(Path.of("/m"), c.metadataLogDir());
        assertEquals("abc", c.clusterId());
    }

    @Test
    void rejectsMalformedValuesNamingTheKey() {
        assertTrue(assertThrows(ConfigException.class, () -> QuorumConfig.from(Map.of("controller.quorum.voters",
                "1@h:1"))).getMessage().contains("node.id"));
        assertTrue(assertThrows(ConfigException.class, () -> QuorumConfig.from(Map.of("node.id", "x",
                "controller.quorum.voters", "1@h:1"))).getMessage().contains("node.id"));
        for (String bad : List.of("1@h", "h:1", "1@h:0", "a@h:1", "1@h:1,1@g:2", " , ")) {
            assertThrows(ConfigException.class, () -> QuorumConfig.from(Map.of("node.id", "1",
                    "controller.quorum.voters", bad)), bad);
        }
    }

    @Test
    void snapshotIntervalAndFetchWindowHaveDefaultsAndMustBePositive() {
        QuorumConfig d = QuorumConfig.from(Map.of("node.id", "1", "controller.quorum.voters", "1@h:1"));
        assertEquals(RatisSettings.DEFAULT_SNAPSHOT_THRESHOLD, d.snapshotThreshold());
        assertEquals(io.runnel.metadata.fetch.RecentEntries.DEFAULT_MAX_ENTRIES, d.fetchWindowEntries());
        QuorumConfig c = QuorumConfig.from(Map.of("node.id", "1", "controller.quorum.voters", "1@h:1",
                QuorumConfig.SNAPSHOT_ENTRIES_KEY, "20", QuorumConfig.FETCH_WINDOW_KEY, "8"));
        assertEquals(20, c.snapshotThreshold());
        assertEquals(8, c.fetchWindowEntries());
        for (String key : List.of(QuorumConfig.SNAPSHOT_ENTRIES_KEY, QuorumConfig.FETCH_WINDOW_KEY)) {
            for (String bad : List.of("0", "-3", "many", "99999999999")) {
                ConfigException e = assertThrows(ConfigException.class, () -> QuorumConfig.from(Map.of("node.id",
                        "1", "controller.quorum.voters", "1@h:1", key, bad)));
                assertTrue(e.getMessage().contains(key) && e.getMessage().contains(bad), e.getMessage());
            }
        }
    }

    @Test
    void metaPropertiesAreWrittenAtTheFirstClaimAndCheckedLater(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        assertEquals("fresh", MetaProperties.claim(dir, null, 4, "fresh"));
        assertEquals(new MetaProperties("fresh", 4), MetaProperties.read(dir));
        assertEquals("fresh", MetaProperties.claim(dir, null, 4, "other"), "the recorded id wins");
        assertEquals("fresh", MetaProperties.claim(dir, "fresh", 4, "other"));
        java.io.IOException cluster = assertThrows(java.io.IOException.class,
                () -> MetaProperties.claim(dir, "elsewhere", 4, "x"));
        assertTrue(cluster.getMessage().contains("fresh") && cluster.getMessage().contains("elsewhere"));
        java.io.IOException node = assertThrows(java.io.IOException.class, () -> MetaProperties.claim(dir, null, 5,
                "x"));
        assertTrue(node.getMessage().contains("belongs to node 4") && node.getMessage().contains("5"));
    }

    @Test
    void derivedClusterIdIsKafkaShapedAndIndependentOfVoterOrder() {
        String a = ClusterIds.derive(QuorumConfig.parseVoters("1@h:1,2@h:2"));
        String b = ClusterIds.derive(QuorumConfig.parseVoters("2@h:2,1@h:1"));
        assertEquals(a, b);
        assertEquals(22, a.length());
        assertTrue(a.matches("[A-Za-z0-9_-]+"));
    }

    @Test
    void aJoiningControllerNamesBootstrapServersAndItsControllerListener() {
        QuorumConfig c = QuorumConfig.from(Map.of("node.id", "4",
                "controller.quorum.bootstrap.servers", "127.0.0.1:9093, [::1]:9095",
                "listeners", "PLAINTEXT://:9092,CONTROLLER://:9099", "log.dirs", "/d"));
        assertTrue(c.joining());
        assertEquals(List.of("127.0.0.1:9093", "[::1]:9095"), c.bootstrapServers());
        assertEquals(List.of(), c.voters());
        assertEquals(new QuorumVoter(4, "localhost", 9099), c.self());

        QuorumConfig broker = QuorumConfig.from(Map.of("node.id", "5",
                "controller.quorum.bootstrap.servers", "h:9093", "listeners", "PLAINTEXT://:9092"));
        assertTrue(broker.joining());
        assertNull(broker.self());

        assertTrue(assertThrows(ConfigException.class, () -> QuorumConfig.from(Map.of("node.id", "4",
                "controller.quorum.voters", "1@h:1", "controller.quorum.bootstrap.servers", "h:1")))
                .getMessage().contains("not both"));
        assertTrue(assertThrows(ConfigException.class, () -> QuorumConfig.from(Map.of("node.id", "4",
                "controller.quorum.bootstrap.servers", "nohostport"))).getMessage()
                .contains("controller.quorum.bootstrap.servers"));
        assertTrue(assertThrows(ConfigException.class, () -> QuorumConfig.from(Map.of("node.id", "4",
                "controller.quorum.bootstrap.servers", "h:1", "listeners", "CONTROLLER://:0"))).getMessage()
                .contains("fixed port"));
    }
}
