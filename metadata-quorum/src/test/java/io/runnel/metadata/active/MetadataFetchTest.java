package io.runnel.metadata.active;

import static io.runnel.metadata.quorum.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.controller.CreatableTopic;
import io.runnel.metadata.controller.CreateTopicResult;
import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.fetch.MetadataFollower;
import io.runnel.metadata.image.ImageCodec;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.quorum.QuorumInfo;
import io.runnel.metadata.quorum.QuorumNode;
import io.runnel.metadata.rpc.FetchMetadataRequest;
import io.runnel.metadata.rpc.FetchMetadataResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Brokers that follow the metadata log by fetching it (FetchMetadata through {@link ControllerClient}, replayed by a
 * {@link MetadataFollower}) against real in-JVM Ratis voters: the follower's image equals the voters' by digest, a
 * broker behind the window or with nothing gets a snapshot, the follower survives a leader change, and DescribeQuorum
 * reports it as an observer.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MetadataFetchTest {
    private static final int FOLLOWER_ID = 7;
    @TempDir
    Path dir;
    private TestCluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void brokers(ControllerClient client, int... ids) throws Exception {
        for (int id : ids) {
            cluster.closeLater(new SimulatedBroker(id, client, () -> cluster.newestImage().provenance().index())
                    .start(200));
        }
        await("brokers unfenced", TestCluster.WAIT, () -> cluster.newestImage().brokers().values().stream()
                .filter(b -> !b.fenced()).count() == ids.length);
    }

    private static void create(ControllerClient client, String topic, int rf) throws Exception {
        List<CreateTopicResult> r = client.createTopics(List.of(CreatableTopic.of(topic, 2, rf)), false)
                .get(30, TimeUnit.SECONDS);
        assertEquals(ErrorCode.NONE, r.get(0).error().error(), r.toString());
    }

    /** Waits until the follower has applied all the active controller has and holds the same image. */
    private void awaitSameImage(MetadataFollower follower) {
        await("the follower's image to equal the controller's", TestCluster.WAIT, () -> {
            QuorumNode leader = cluster.node(cluster.awaitActive());
            MetadataImage theirs = leader.stateMachine().image();
            return follower.appliedOffset() >= leader.stateMachine().appliedOffset()
                    && follower.image().digest().equals(theirs.digest());
        });
    }

    @Test
    void aFollowerReplaysTheLogIntoTheSameImageInOrderAndIsReportedAsAnObserver() throws Exception {
        cluster = TestCluster.start(dir, 1, Map.of());
        cluster.awaitActive();
        ControllerClient client = cluster.client(Duration.ofSeconds(10));
        brokers(client, 1);
        create(client, "before", 1);

        MetadataFollower follower = cluster.closeLater(MetadataFollower.start(FOLLOWER_ID,
                cluster.node(0).clusterId(), client));
        List<Long> seen = new CopyOnWriteArrayList<>();
        follower.addListener((previous, next) -> seen.add(next.provenance().index()));
        awaitSameImage(follower);
        for (int i = 0; i < 5; i++) {
            create(client, "after-" + i, 1);
        }
        awaitSameImage(follower);
        assertTrue(follower.image().topicsByName().keySet().containsAll(List.of("before", "after-0", "after-4")));
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i) > seen.get(i - 1), "images arrive in log order: " + seen);
        }

        await("DescribeQuorum to list the follower as an observer at lag 0", TestCluster.WAIT, () -> {
            try {
                QuorumInfo q = client.describeQuorum().get(10, TimeUnit.SECONDS);
                return q.observers().stream().anyMatch(o -> o.replicaId() == FOLLOWER_ID && o.lag() == 0
                        && o.logEndOffset() == follower.appliedOffset() && o.lastFetchTimestampMs() > 0);
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void aBrokerWithNothingOrBehindTheWindowGetsASnapshotThenEntries() throws Exception {
        cluster = TestCluster.start(dir, 1, Map.of("metadata.fetch.window.entries", "3"));
        cluster.awaitActive();
        ControllerClient client = cluster.client(Duration.ofSeconds(10));
        brokers(client, 1);
        for (int i = 0; i < 6; i++) {
            create(client, "t" + i, 1);
        }
        MetadataImage image = cluster.node(0).stateMachine().image();
        FetchMetadataResponse fresh = fetch(client, -1);
        assertTrue(fresh.hasSnapshot());
        assertEquals(image.digest(), ImageCodec.fromSnapshot(fresh.getSnapshot()).digest());
        assertTrue(fresh.getLastOffset() >= image.provenance().index());

        long floor = cluster.node(0).stateMachine().recentEntries().floor();
        assertTrue(floor > 2, "7+ image-changing entries do not fit a window of 3: floor " + floor);
        assertTrue(fetch(client, floor - 1).hasSnapshot(), "offset " + (floor - 1) + " is below the window");
        FetchMetadataResponse recent = fetch(client, fresh.getLastOffset() - 1);
        assertFalse(recent.hasSnapshot());

        MetadataFollower follower = cluster.closeLater(MetadataFollower.start(FOLLOWER_ID,
                cluster.node(0).clusterId(), client));
        List<MetadataImage> seen = new CopyOnWriteArrayList<>();
        follower.addListener((previous, next) -> seen.add(next));
        awaitSameImage(follower);
        create(client, "later", 1);
        awaitSameImage(follower);
        assertEquals(image.digest(), seen.get(0).digest(), "the first image came from the snapshot");
        assertTrue(follower.image().topicsByName().containsKey("later"));
    }

    @Test
    void theFollowerKeepsFollowingWhenTheLeaderChanges() throws Exception {
        cluster = TestCluster.start(dir, 3, Map.of("broker.session.timeout.ms", "4000"));
        cluster.awaitActive();
        ControllerClient client = cluster.client(Duration.ofSeconds(10));
        brokers(client, 1, 2, 3);
        MetadataFollower follower = cluster.closeLater(MetadataFollower.start(FOLLOWER_ID,
                cluster.node(0).clusterId(), client));
        create(client, "before", 3);
        awaitSameImage(follower);

        int leader = cluster.awaitActive();
        cluster.stop(leader);
        int next = cluster.awaitActive();
        assertTrue(next != leader);
        create(client, "after", 2);
        awaitSameImage(follower);
        assertTrue(follower.image().topicsByName().containsKey("after"));
    }

    private static FetchMetadataResponse fetch(ControllerClient client, long offset) throws Exception {
        return client.fetchMetadata(FetchMetadataRequest.newBuilder().setReplicaId(FOLLOWER_ID)
                .setFetchOffset(offset).setMaxWaitMs(0).build(), Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
    }
}
