package io.runnel.broker.config;

import io.runnel.log.LogConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerConfigTest {
    @TempDir
    Path dir;

    private static Map<String, String> combined() {
        Map<String, String> m = new HashMap<>();
        m.put("process.roles", "broker,controller");
        m.put("node.id", "1");
        m.put("controller.quorum.voters", "1@localhost:9093");
        m.put("listeners", "PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093");
        m.put("log.dirs", "/data/a,/data/b");
        return m;
    }

    private static String errorOf(Map<String, String> overrides) {
        Map<String, String> m = combined();
        m.putAll(overrides);
        return assertThrows(ServerConfigException.class, () -> ServerConfig.of(m)).getMessage();
    }

    @Test
    void theShippedConfigFilesParseWithoutWarnings() {
        Path config = Path.of("..", "config").toAbsolutePath().normalize();
        for (String f : List.of("server.properties", "broker.properties", "controller.properties",
                "cluster/node-1.properties", "cluster/node-2.properties", "cluster/node-3.properties")) {
            ServerConfig c = ServerConfig.load(config.resolve(f), List.of());
            assertEquals(List.of(), c.warnings(), f);
        }
        ServerConfig single = ServerConfig.load(config.resolve("server.properties"), List.of());
        assertTrue(single.isBroker() && single.isController());
        assertEquals(List.of(new Endpoint("PLAINTEXT", "localhost", 9092)), single.brokerListeners());
        assertEquals(Path.of("./data/node-1"), single.metadataLogDir());
    }

    @Test
    void transactionVersionDefaultsToTwoAndOnlyZeroToTwoAreAccepted() {
        assertEquals(2, ServerConfig.of(combined()).getInt("transaction.version"));
        assertEquals(1, ServerConfig.of(new HashMap<>(Map.of("process.roles", "broker,controller", "node.id", "1",
                "controller.quorum.voters", "1@localhost:9093", "listeners",
                "PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093", "log.dirs", "/data/a",
                "transaction.version", "1"))).getInt("transaction.version"));
        assertTrue(errorOf(Map.of("transaction.version", "3")).contains("transaction.version"));
        assertTrue(errorOf(Map.of("transaction.version", "-1")).contains("expected 0, 1"));
    }

    @Test
    void kafkaDefaultsAndDerivedLogConfig() {
        ServerConfig c = ServerConfig.of(combined());
        assertEquals(1, c.getInt("num.partitions"));
        assertTrue(c.getBoolean("auto.create.topics.enable"));
        assertEquals(List.of(Path.of("/data/a"), Path.of("/data/b")), c.logDirs());
        assertEquals(Path.of("/data/a"), c.metadataLogDir());
        LogConfig log = c.logConfig();
        assertEquals(1 << 30, log.segmentBytes());
        assertEquals(168 * 3_600_000L, log.retentionMs());
        assertEquals(1_048_588, log.maxMessageBytes());
    }

    @Test
    void brokerRackIsKnownAndOptional() {
        Map<String, String> m = combined();
        ServerConfig none = ServerConfig.of(m);
        assertEquals(java.util.Optional.empty(), none.rack());
        m.put("broker.rack", "eu-west-1a");
        ServerConfig racked = ServerConfig.of(m);
        assertEquals(java.util.Optional.of("eu-west-1a"), racked.rack());
        assertEquals(List.of(), racked.warnings());
        m.put("broker.rack", " ");
        assertEquals(java.util.Optional.empty(), ServerConfig.of(m).rack());
    }

    @Test
    void retentionMsWinsOverMinutesOverHours() {
        Map<String, String> m = combined();
        m.put("log.retention.hours", "1");
        m.put("log.retention.minutes", "2");
        assertEquals(120_000L, ServerConfig.of(m).logConfig().retentionMs());
        m.put("log.retention.ms", "-1");
        assertEquals(-1L, ServerConfig.of(m).logConfig().retentionMs());
    }

    @Test
    void overridesWinAndUnknownKeysWarn() throws IOException {
        Path file = dir.resolve("s.properties");
        Files.writeString(file, "process.roles=broker,controller\nnode.id=1\ncontroller.quorum.voters=1@h:9093\n"
                + "listeners=PLAINTEXT://:9092,CONTROLLER://:9093\nnum.partitions=2\nfoo.bar=1\n");
        ServerConfig c = ServerConfig.load(file, List.of("num.partitions=5", "node.id=7"));
        assertEquals(5, c.getInt("num.partitions"));
        assertEquals(7, c.nodeId());
        assertEquals(List.of("unknown configuration 'foo.bar' is ignored"), c.warnings());
        assertEquals(new Endpoint("PLAINTEXT", "", 9092), c.brokerListeners().get(0));
        assertThrows(ServerConfigException.class, () -> ServerConfig.load(file, List.of("novalue")));
    }

    @Test
    void malformedValuesNameTheKey() {
        assertTrue(errorOf(Map.of("num.partitions", "three")).contains("num.partitions"));
        assertTrue(errorOf(Map.of("auto.create.topics.enable", "yes")).contains("auto.create.topics.enable"));
        assertTrue(errorOf(Map.of("listeners", "localhost:9092")).contains("listeners"));
        assertTrue(errorOf(Map.of("process.roles", "worker")).contains("process.roles"));
        assertTrue(errorOf(Map.of("num.partitions", "0")).contains("num.partitions"));
        assertTrue(errorOf(Map.of("log.segment.bytes", "10")).contains("log.segment.bytes"));
        assertTrue(errorOf(Map.of("listeners", "PLAINTEXT://localhost:9092")).contains("controller.listener.names"));
        Map<String, String> noNode = combined();
        noNode.remove("node.id");
        assertTrue(assertThrows(ServerConfigException.class, () -> ServerConfig.of(noNode)).getMessage()
                .contains("node.id"));
    }

    @Test
    void missingFileIsOneClearLine() {
        String msg = assertThrows(ServerConfigException.class,
                () -> ServerConfig.load(dir.resolve("nope.properties"), List.of())).getMessage();
        assertTrue(msg.contains("nope.properties") && msg.contains("does not exist"));
        assertFalse(msg.contains("\n"));
    }
}
