package io.runnel.broker.config;

import io.runnel.log.CleanupPolicy;
import io.runnel.log.LogConfig;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The log cleaner's broker keys, the compaction topic defaults they set, and broker keys Runnel refuses. */
class LogCleanerServerConfigTest {
    private static Map<String, String> combined(Map<String, String> overrides) {
        Map<String, String> m = new HashMap<>();
        m.put("process.roles", "broker,controller");
        m.put("node.id", "1");
        m.put("controller.quorum.voters", "1@localhost:9093");
        m.put("listeners", "PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093");
        m.putAll(overrides);
        return m;
    }

    private static String errorOf(Map<String, String> overrides) {
        return assertThrows(ServerConfigException.class, () -> ServerConfig.of(combined(overrides))).getMessage();
    }

    @Test
    void cleanerKeysHaveKafkasDefaults() {
        ServerConfig c = ServerConfig.of(combined(Map.of()));
        assertTrue(c.logCleanerEnable());
        assertEquals(1, c.logCleanerThreads());
        assertEquals(134_217_728L, c.logCleanerDedupeBufferSize());
        assertEquals(Double.MAX_VALUE, c.logCleanerIoMaxBytesPerSecond());
        assertEquals(15_000L, c.logCleanerBackoffMs());
        assertEquals(524_288, c.logCleanerIoBufferSize());
        assertEquals(0.9, c.logCleanerIoBufferLoadFactor());
        assertEquals(LogConfig.DEFAULT, c.logConfig());
        Map<String, String> shown = c.effectiveValues();
        assertEquals("delete", shown.get("log.cleanup.policy"));
        assertEquals("0.5", shown.get("log.cleaner.min.cleanable.ratio"));
        assertEquals("1.7976931348623157E308", shown.get("log.cleaner.io.max.bytes.per.second"));
        assertEquals("producer", shown.get("compression.type"));
    }

    @Test
    void cleanerKeysAreReadAsSet() {
        ServerConfig c = ServerConfig.of(combined(Map.of("log.cleaner.enable", "FALSE", "log.cleaner.threads", "2",
                "log.cleaner.dedupe.buffer.size", "10000000", "log.cleaner.io.max.bytes.per.second", "1e6",
                "log.cleaner.backoff.ms", "5", "log.cleaner.io.buffer.size", "4096",
                "log.cleaner.io.buffer.load.factor", "0.75")));
        assertEquals(false, c.logCleanerEnable());
        assertEquals(2, c.logCleanerThreads());
        assertEquals(10_000_000L, c.logCleanerDedupeBufferSize());
        assertEquals(1e6, c.logCleanerIoMaxBytesPerSecond());
        assertEquals(5L, c.logCleanerBackoffMs());
        assertEquals(4096, c.logCleanerIoBufferSize());
        assertEquals(0.75, c.logCleanerIoBufferLoadFactor());
    }

    @Test
    void compactionDefaultsFlowIntoTheLogConfig() {
        LogConfig log = ServerConfig.of(combined(Map.of("log.cleanup.policy", "compact, delete",
                "log.cleaner.min.cleanable.ratio", "0.25", "log.cleaner.min.compaction.lag.ms", "1000",
                "log.cleaner.max.compaction.lag.ms", "60000", "log.cleaner.delete.retention.ms", "5000",
                "log.retention.bytes", "-7"))).logConfig();
        assertEquals(new CleanupPolicy(true, true), log.cleanupPolicy());
        assertEquals(0.25, log.minCleanableDirtyRatio());
        assertEquals(1000L, log.minCompactionLagMs());
        assertEquals(60_000L, log.maxCompactionLagMs());
        assertEquals(5000L, log.deleteRetentionMs());
        assertEquals(-1L, log.retentionBytes(), "any negative retention size means no limit, as in Kafka");
    }

    @Test
    void badCleanerValuesNameTheirKey() {
        assertTrue(errorOf(Map.of("log.cleanup.policy", "compact,Delete")).contains("log.cleanup.policy"));
        assertTrue(errorOf(Map.of("log.cleanup.policy", " ")).startsWith("Runnel does not support an empty "
                + "log.cleanup.policy"));
        assertTrue(errorOf(Map.of("log.cleaner.min.cleanable.ratio", "1.5"))
                .endsWith("(set through log.cleaner.min.cleanable.ratio)"));
        assertTrue(errorOf(Map.of("log.cleaner.min.cleanable.ratio", "NaN")).contains("expected a number"));
        assertTrue(errorOf(Map.of("log.cleaner.max.compaction.lag.ms", "0"))
                .endsWith("(set through log.cleaner.max.compaction.lag.ms)"));
        assertTrue(errorOf(Map.of("log.cleaner.delete.retention.ms", "-1"))
                .endsWith("(set through log.cleaner.delete.retention.ms)"));
        assertTrue(errorOf(Map.of("log.cleaner.min.compaction.lag.ms", "10", "log.cleaner.max.compaction.lag.ms",
                "5")).contains("log.cleaner.min.compaction.lag.ms (10) must be at most"));
        assertTrue(errorOf(Map.of("log.cleaner.threads", "0")).contains("log.cleaner.threads"));
        assertEquals("log.cleaner.dedupe.buffer.size must be at least 1MB per cleaner thread: 4194304 bytes for "
                + "log.cleaner.threads=4", errorOf(Map.of("log.cleaner.threads", "4",
                "log.cleaner.dedupe.buffer.size", "4194304")));
        assertTrue(errorOf(Map.of("log.cleaner.io.buffer.load.factor", "0")).contains(
                "log.cleaner.io.buffer.load.factor"));
        assertTrue(errorOf(Map.of("log.cleaner.io.max.bytes.per.second", "-1")).contains(
                "log.cleaner.io.max.bytes.per.second"));
        assertTrue(errorOf(Map.of("log.cleaner.backoff.ms", "-1")).contains("log.cleaner.backoff.ms"));
        assertTrue(errorOf(Map.of("log.message.timestamp.after.max.ms", "-1"))
                .contains("log.message.timestamp.after.max.ms"));
    }

    @Test
    void brokerKeysRunnelCannotHonourAreRefusedUnlessDefault() {
        Map<String, String> refused = Map.of("compression.type", "zstd", "compression.gzip.level", "1",
                "compression.lz4.level", "10", "compression.zstd.level", "-1", "log.preallocate", "true",
                "log.roll.jitter.ms", "10", "log.roll.jitter.hours", "1", "log.local.retention.ms", "1000",
                "log.local.retention.bytes", "-1", "remote.log.storage.system.enable", "true");
        assertEquals(UnsupportedServerConfigs.keys().stream().sorted().toList(),
                refused.keySet().stream().sorted().toList());
        refused.forEach((key, value) -> assertTrue(errorOf(Map.of(key, value)).startsWith(
                "Runnel does not support " + key + "=" + value + " yet"), key));
        ServerConfig defaults = ServerConfig.of(combined(Map.of("compression.type", "producer",
                "compression.gzip.level", "-1", "compression.lz4.level", "9", "compression.zstd.level", "3",
                "log.preallocate", "false", "log.roll.jitter.ms", "0", "log.roll.jitter.hours", "0",
                "log.local.retention.ms", "-2", "log.local.retention.bytes", "-2",
                "remote.log.storage.system.enable", "false")));
        assertEquals(List.of(), defaults.warnings());
    }
}
