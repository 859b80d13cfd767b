package io.runnel.jepsen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.quorum.MetaProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's controller-membership acceptance with real processes and the real CLI (KIP-853): a three-node cluster
 * under a topic-creating load; a fourth, controller-only process joins with {@code
 * controller.quorum.bootstrap.servers}; {@code bin/runnel metadata-quorum add-controller} runs and the Ratis leader
 * is killed with {@code kill -9} in the middle of the change (node 4 SIGSTOPped meanwhile, so the change is still
 * catching it up); retrying converges (added, or "already a voter"); the killed node restarts; {@code
 * remove-controller} removes an original voter; {@code describe --status} shows each voter set; every acknowledged
 * topic exists; every process's image digest (over JMX) is equal at the end.
 */
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class QuorumMembershipProcessTest {
    private static final Pattern ID = Pattern.compile("\"id\": (\\d+)");
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;
    private ProcessCluster cluster;
    private NodeProcess joiner;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (joiner != null) {
            joiner.kill9();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private RunnelCli.Result cli(String... args) {
        try {
            return RunnelCli.run(dir, Duration.ofSeconds(90), args);
        } catch (Exception e) {
            return new RunnelCli.Result(-1, List.of(), List.of(String.valueOf(e)));
        }
    }

    private Set<Integer> voters(String bootstrap) {
        RunnelCli.Result r = cli("metadata-quorum", "--bootstrap-server", bootstrap, "describe", "--status");
        if (r.exitCode() != 0) {
            return null;
        }
        String line = r.out().stream().filter(l -> l.startsWith("CurrentVoters:")).findFirst().orElse("");
        Set<Integer> ids = new TreeSet<>();
        Matcher m = ID.matcher(line);
        while (m.find()) {
            ids.add(Integer.parseInt(m.group(1)));
        }
        return ids;
    }

    /** Waits until the four processes (nodes 1-4) hold equal image digests; the failure lists every image. */
    private List<ImageProbe.Image> awaitEqualImages(ImageProbe images, String when) {
        List<Long> pids = new ArrayList<>();
        cluster.nodes().forEach(n -> pids.add(n.pid()));
        pids.add(joiner.pid());
        try {
            return Waits.awaitValue("equal image digests on all four processes " + when, Duration.ofSeconds(90),
                    () -> {
                        List<ImageProbe.Image> all = images.readAll(pids);
                        return all != null && all.stream().map(ImageProbe.Image::digest).distinct().count() == 1
                                ? all : null;
                    });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": images of nodes 1-4 " + images.readAll(pids), e);
        }
    }

    @Test
    void addAControllerWhileTheLeaderIsKilledThenRemoveAnOriginalVoter() throws Exception {
        cluster = new ProcessCluster(dir, 3, true, Map.of());
        cluster.startAll();
        for (NodeProcess n : cluster.nodes()) {
            n.awaitLog("Listening on PLAINTEXT", Duration.ofSeconds(90));
        }
        String clusterId = MetaProperties.read(dir.resolve("data/node-1")).clusterId();
        int port4 = ProcessCluster.freePort();
        StringBuilder bootstrapServers = new StringBuilder();
        for (int p : cluster.controllerPorts()) {
            bootstrapServers.append(bootstrapServers.length() == 0 ? "" : ",").append("127.0.0.1:").append(p);
        }
        Path config4 = dir.resolve("node-4.properties");
        Files.writeString(config4, "process.roles=controller\nnode.id=4\ncontroller.quorum.bootstrap.servers="
                + bootstrapServers + "\nlisteners=CONTROLLER://127.0.0.1:" + port4
                + "\ncontroller.listener.names=CONTROLLER\nlog.dirs=" + dir.resolve("data/node-4")
                + "\ncluster.id=" + clusterId + "\n");
        joiner = new NodeProcess(4, config4, dir, List.of());
        joiner.start();
        joiner.awaitLog("joins the metadata quorum", Duration.ofSeconds(90));

        AtomicBoolean loading = new AtomicBoolean(true);
        Set<String> acked = ConcurrentHashMap.newKeySet();
        try (QuorumProbe probe = new QuorumProbe(cluster.voters() + ",4@127.0.0.1:" + port4,
                dir.resolve("data/node-1"));
             ImageProbe images = new ImageProbe();
             Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrap(1, 2, 3),
                     "request.timeout.ms", "3000", "default.api.timeout.ms", "20000"))) {
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
                for (int i = 0; loading.get(); i++) {
                    String t = "load-" + i;
                    try {
                        admin.createTopics(List.of(new NewTopic(t, 1, (short) 2))).all().get(20, TimeUnit.SECONDS);
                        acked.add(t);
                    } catch (Exception e) {
                        // unacknowledged: may or may not exist
                    }
                }
            });
            QuorumProbe.View leader = Waits.awaitValue("a leader", Duration.ofSeconds(30), probe::leader);
            int killed = leader.nodeId();
            String via = cluster.bootstrap(killed == 1 ? 2 : 1);
            String viaOther = cluster.bootstrap(killed == 3 ? 2 : 3);

            // node 4 is paused (SIGSTOP), so the leader's change stays in Ratis' catch-up phase until the leader is
            // killed -9; node 4 then resumes
            joiner.pause();
            CompletableFuture<RunnelCli.Result> adding = CompletableFuture.supplyAsync(() -> cli("metadata-quorum",
                    "--bootstrap-server", via, "--command-config", config4.toString(), "add-controller"));
            cluster.node(killed).awaitLog("Controller quorum change: add node 4", Duration.ofSeconds(90));
            Thread.sleep(300);
            cluster.node(killed).kill9();
            joiner.resume();
            RunnelCli.Result first = adding.get(120, TimeUnit.SECONDS);
            System.out.println("add-controller whose leader was killed -9 mid-change: exit " + first.exitCode()
                    + " out " + first.out() + " err " + first.err());
            // whatever the in-flight request did, retrying converges: added, or already a voter
            Waits.await("node 4 a voter", Duration.ofSeconds(120), () -> {
                RunnelCli.Result r = cli("metadata-quorum", "--bootstrap-server", via, "--command-config",
                        config4.toString(), "add-controller");
                return r.exitCode() == 0 || r.err().stream().anyMatch(l -> l.contains("already is a voter"));
            });
            assertEquals(Set.of(1, 2, 3, 4), Waits.awaitValue("describe --status with 4 voters",
                    Duration.ofSeconds(60), () -> voters(via)), "first add-controller: " + first);

            cluster.node(killed).start();
            cluster.node(killed).awaitLog("Listening on PLAINTEXT", Duration.ofSeconds(90));
            awaitEqualImages(images, "after the restart of node " + killed);

            int removed = Waits.awaitValue("a leader", Duration.ofSeconds(30), probe::leader).nodeId() == 2 ? 3 : 2;
            String viaRemaining = cluster.bootstrap(removed == 2 ? 1 : 2);
            RunnelCli.Result remove = Waits.awaitValue("remove-controller " + removed, Duration.ofSeconds(90), () -> {
                RunnelCli.Result r = cli("metadata-quorum", "--bootstrap-server", viaRemaining, "remove-controller",
                        "--controller-id", String.valueOf(removed));
                return r.exitCode() == 0 ? r : null;
            });
            assertEquals(List.of("Removed KRaft controller " + removed + " with directory id AAAAAAAAAAAAAAAAAAAAAA"),
                    remove.out());
            Set<Integer> expected = new TreeSet<>(Set.of(1, 2, 3, 4));
            expected.remove(removed);
            assertEquals(expected, voters(viaRemaining));
            RunnelCli.Result unknown = cli("metadata-quorum", "--bootstrap-server", viaOther, "remove-controller",
                    "--controller-id", "9");
            assertEquals(1, unknown.exitCode(), unknown.toString());
            assertEquals(expected, voters(viaRemaining));

            Thread.sleep(2000); // a little more load after the changes
            loading.set(false);
            load.get(60, TimeUnit.SECONDS);
            Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertTrue(names.containsAll(acked), "every acknowledged topic exists");
            assertTrue(acked.size() > 3, "the load created topics: " + acked.size());

            assertEquals(4, awaitEqualImages(images, "at the end (node " + removed + " removed, node " + killed
                    + " killed)").size());
        } finally {
            loading.set(false);
        }
    }
}
