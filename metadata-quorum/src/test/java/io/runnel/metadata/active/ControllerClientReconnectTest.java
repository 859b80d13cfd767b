package io.runnel.metadata.active;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.quorum.ClusterIds;
import io.runnel.metadata.quorum.QuorumConfig;
import io.runnel.metadata.quorum.QuorumInfo;
import io.runnel.metadata.quorum.QuorumNode;
import io.runnel.metadata.quorum.TestSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client created while its controllers are still down (a broker-only node started before them) reaches them once
 * they are up: failed connections are reset, not kept closed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ControllerClientReconnectTest {
    @TempDir
    Path dir;

    @Test
    void aCallStartedBeforeTheControllerIsUpSucceedsOnceItIs() throws Exception {
        String voters = TestSupport.voters(TestSupport.freePorts(1));
        String clusterId = ClusterIds.derive(QuorumConfig.parseVoters(voters));
        try (ControllerClient client = ControllerClient.create(clusterId, QuorumConfig.parseVoters(voters),
                Duration.ofSeconds(30))) {
            CompletableFuture<QuorumInfo> early = client.describeQuorum();
            Thread.sleep(1500); // several attempts fail: nothing listens yet
            try (QuorumNode node = QuorumNode.start(TestSupport.config(1, voters, dir.resolve("node-1"), null))) {
                assertEquals(1, early.get(30, TimeUnit.SECONDS).leaderId());
                assertEquals(1, client.describeQuorum().get(30, TimeUnit.SECONDS).leaderId());
            }
        }
    }
}
