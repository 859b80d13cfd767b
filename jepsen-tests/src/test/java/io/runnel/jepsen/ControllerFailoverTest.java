package io.runnel.jepsen;

import io.runnel.metadata.quorum.QuorumClient;
import io.runnel.metadata.quorum.QuorumConfig;
import io.runnel.metadata.quorum.QuorumNode;
import io.runnel.metadata.quorum.MetaProperties;
import io.runnel.metadata.record.MetadataRecord;
import io.runnel.metadata.record.MetadataRecordBatch;
import io.runnel.metadata.record.TopicRecord;
import io.runnel.metadata.record.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 3's failover acceptance with real processes: three controllers elect a leader; {@code kill -9} of the leader
 * gives a new leader within 5 s and writes succeed again within 10 s; the killed node, restarted, catches up.
 */
class ControllerFailoverTest {
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

    @Test
    void killingTheLeaderElectsAnotherAndTheRestartedNodeCatchesUp() throws Exception {
        cluster = new ProcessCluster(dir, 3, false, Map.of());
        cluster.startAll();
        for (NodeProcess n : cluster.nodes()) {
            n.awaitLog("Listening on CONTROLLER", Duration.ofSeconds(60));
        }
        String voters = cluster.nodes().stream().map(n -> n.nodeId() + "@127.0.0.1:"
                + cluster.controllerPorts().get(n.nodeId() - 1)).collect(Collectors.joining(","));
        Path data1 = dir.resolve("data/node-1");
        try (QuorumProbe probe = new QuorumProbe(voters, data1);
             QuorumClient client = new QuorumClient(QuorumNode.group(MetaProperties.read(data1).clusterId(),
                     QuorumConfig.parseVoters(voters)))) {
            QuorumProbe.View first = Waits.awaitValue("a leader", Duration.ofSeconds(30), probe::leader);
            assertEquals(0, client.submit(topic("before")).get(30, TimeUnit.SECONDS).getErrorCode());

            NodeProcess killed = cluster.node(first.nodeId());
            killed.kill9();
            QuorumProbe.View second = Waits.awaitValue("a new leader after kill -9 of " + first.nodeId(),
                    Duration.ofSeconds(5), () -> {
                        QuorumProbe.View v = probe.leader();
                        return v != null && v.nodeId() != first.nodeId() ? v : null;
                    });
            Waits.await("a write through the new leader", Duration.ofSeconds(10), () -> {
                try {
                    return client.submit(topic("after")).get(10, TimeUnit.SECONDS).getErrorCode() == 0;
                } catch (Exception e) {
                    return false;
                }
            });

            killed.start();
            killed.awaitLog("Listening on CONTROLLER", Duration.ofSeconds(60));
            long target = probe.view(second.nodeId()).commitIndex();
            Waits.await("node " + killed.nodeId() + " to catch up to commit index " + target,
                    Duration.ofSeconds(30), () -> {
                        QuorumProbe.View v = probe.view(killed.nodeId());
                        return v != null && v.commitIndex() >= target;
                    });
        }
    }
}
