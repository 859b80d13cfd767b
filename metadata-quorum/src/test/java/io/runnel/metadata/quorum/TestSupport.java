package io.runnel.metadata.quorum;

import io.runnel.metadata.testing.LoopbackPorts;
import io.runnel.metadata.image.Uuids;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.MetadataRecordBatch;
import io.runnel.metadata.record.PartitionRecord;
import io.runnel.metadata.record.TopicRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** Shared helpers: free loopback ports, bounded condition waits, node configs, small batches. */
public final class TestSupport {
    private TestSupport() {
    }

    /** {@code n} distinct free loopback ports below the ephemeral range ({@link LoopbackPorts}). */
    public static List<Integer> freePorts(int n) {
        return LoopbackPorts.free(n);
    }

    /** Polls {@code condition} until it holds; fails after {@code timeout} naming {@code what}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    public static String voters(List<Integer> ports) {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            entries.add((i + 1) + "@127.0.0.1:" + ports.get(i));
        }
        return entries.stream().collect(Collectors.joining(","));
    }

    public static QuorumConfig config(int nodeId, String voters, Path dir, String clusterId) {
        Map<String, String> p = new HashMap<>();
        p.put("node.id", String.valueOf(nodeId));
        p.put("controller.quorum.voters", voters);
        p.put("metadata.log.dir", dir.toString());
        if (clusterId != null) {
            p.put("cluster.id", clusterId);
        }
        return QuorumConfig.from(p);
    }

    /** A topic with one partition on broker 1. */
    public static MetadataRecordBatch topicBatch(String name) {
        UUID id = UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return MetadataRecordBatch.newBuilder()
                .addRecords(MetadataRecord.newBuilder().setTopic(TopicRecord.newBuilder().setName(name)
                        .setTopicId(Uuids.toProto(id))))
                .addRecords(MetadataRecord.newBuilder().setPartition(PartitionRecord.newBuilder()
                        .setTopicId(Uuids.toProto(id)).setPartitionId(0).addReplicas(1).addIsr(1).setLeader(1)))
                .build();
    }
}
