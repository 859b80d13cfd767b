package io.runnel.metadata.active;

import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.quorum.QuorumConfig;
import io.runnel.metadata.quorum.QuorumNode;
import io.runnel.metadata.quorum.TestSupport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Voters in this JVM on free loopback ports, with their controller settings; stops and restarts members. */
final class TestCluster implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);

    private final Path dir;
    private final String voters;
    private final Map<String, String> props;
    private final ControllerConfig controllerConfig;
    private final long snapshotThreshold;
    private final QuorumNode[] nodes;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private TestCluster(Path dir, int size, Map<String, String> props, long snapshotThreshold) {
        this.dir = dir;
        this.voters = TestSupport.voters(TestSupport.freePorts(size));
        this.props = Map.copyOf(props);
        this.controllerConfig = ControllerConfig.from(props);
        this.snapshotThreshold = snapshotThreshold;
        this.nodes = new QuorumNode[size];
    }

    static TestCluster start(Path dir, int size, Map<String, String> props) throws IOException {
        return start(dir, size, props, 4096);
    }

    static TestCluster start(Path dir, int size, Map<String, String> props, long snapshotThreshold)
            throws IOException {
        TestCluster c = new TestCluster(dir, size, props, snapshotThreshold);
        for (int i = 0; i < size; i++) {
            c.restart(i);
        }
        return c;
    }

    int size() {
        return nodes.length;
    }

    QuorumNode node(int i) {
        return nodes[i];
    }

    /** (Re)starts member {@code i}; the cluster's props also reach its QuorumConfig (e.g. the fetch window). */
    void restart(int i) throws IOException {
        Map<String, String> p = new java.util.HashMap<>(props);
        p.put("node.id", String.valueOf(i + 1));
        p.put("controller.quorum.voters", voters);
        p.put("metadata.log.dir", dir.resolve("node-" + (i + 1)).toString());
        QuorumConfig config = QuorumConfig.from(p);
        nodes[i] = QuorumNode.start(config, controllerConfig, snapshotThreshold);
    }

    void stop(int i) throws IOException {
        nodes[i].close();
        nodes[i] = null;
    }

    /** Index of the one active controller, waiting for it. */
    int awaitActive() {
        return awaitActive(WAIT);
    }

    int awaitActive(Duration timeout) {
        int[] found = {-1};
        TestSupport.await("one active controller", timeout, () -> {
            int f = -1;
            for (int i = 0; i < nodes.length; i++) {
                if (nodes[i] != null && nodes[i].isActiveController()) {
                    if (f >= 0) {
                        return false;
                    }
                    f = i;
                }
            }
            found[0] = f;
            return f >= 0;
        });
        return found[0];
    }

    /** The image of any running member with the highest applied index. */
    MetadataImage newestImage() {
        MetadataImage best = null;
        for (QuorumNode n : nodes) {
            if (n != null && (best == null || n.stateMachine().image().provenance().index()
                    > best.provenance().index())) {
                best = n.stateMachine().image();
            }
        }
        return best;
    }

    /** Waits until every running member's image has applied at least the newest image's index. */
    void awaitConverged() {
        long target = newestImage().provenance().index();
        TestSupport.await("all members applied " + target, WAIT, () -> {
            for (QuorumNode n : nodes) {
                if (n != null && n.stateMachine().image().provenance().index() < target) {
                    return false;
                }
            }
            return true;
        });
    }

    ControllerClient client(Duration timeout) {
        ControllerClient c = new ControllerClient(anyNode().group(), timeout);
        closeables.add(c);
        return c;
    }

    <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(c);
        return c;
    }

    private QuorumNode anyNode() {
        for (QuorumNode n : nodes) {
            if (n != null) {
                return n;
            }
        }
        throw new IllegalStateException("no member running");
    }

    @Override
    public void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        for (QuorumNode n : nodes) {
            if (n != null) {
                n.close();
            }
        }
    }
}
