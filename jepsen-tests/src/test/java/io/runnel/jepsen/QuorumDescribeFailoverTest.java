package io.runnel.jepsen;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 3's three-node acceptance with real processes and the real CLI: {@code bin/runnel metadata-quorum describe
 * --status} shows the leader and all three voters; after {@code kill -9} of the leader another leads within 5 s and
 * topic creation works again within 10 s; the killed node, restarted, reaches lag 0 ({@code describe --replication})
 * and its image equals the others' by digest, read from each process over JMX.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class QuorumDescribeFailoverTest {
    private static final Pattern VOTER_ID = Pattern.compile("\"id\": (\\d+)");
    @TempDir
    Path dir;
    private ProcessCluster cluster;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The {@code describe --status} lines through node {@code via}'s broker, or null when the CLI failed. */
    private List<String> status(int via) {
        try {
            RunnelCli.Result r = RunnelCli.run(dir, Duration.ofSeconds(60), "metadata-quorum", "--bootstrap-server",
                    cluster.bootstrap(via), "describe", "--status");
            return r.exitCode() == 0 ? r.out() : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static String value(List<String> lines, String label) {
        return lines.stream().filter(l -> l.startsWith(label + ":")).findFirst()
                .map(l -> l.substring(label.length() + 1).trim()).orElseThrow(() ->
                        new AssertionError("no " + label + " in " + lines));
    }

    private static Set<Integer> ids(String replicas) {
        Set<Integer> ids = new TreeSet<>();
        Matcher m = VOTER_ID.matcher(replicas);
        while (m.find()) {
            ids.add(Integer.parseInt(m.group(1)));
        }
        return ids;
    }

    /** Creates a topic, retrying until {@code deadlineNs}; an earlier attempt that did commit counts. */
    private static void createBefore(Admin admin, String topic, int rf, long deadlineNs) {
        Waits.await("topic " + topic + " created", Duration.ofNanos(Math.max(0, deadlineNs - System.nanoTime())),
                () -> {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
                    try {
                        admin.createTopics(List.of(new NewTopic(topic, 1, (short) rf))).all()
                                .get(Math.max(1, left), TimeUnit.MILLISECONDS);
                        return true;
                    } catch (ExecutionException e) {
                        return e.getCause() instanceof TopicExistsException;
                    } catch (Exception e) {
                        return false;
                    }
                });
    }

    @Test
    void describeShowsLeaderAndVotersAndARestartedLeaderCatchesUpToTheSameImage() throws Exception {
        cluster = new ProcessCluster(dir, 3, true, Map.of());
        cluster.startAll();
        for (NodeProcess n : cluster.nodes()) {
            n.awaitLog("Listening on PLAINTEXT", Duration.ofSeconds(90));
        }
        try (QuorumProbe probe = new QuorumProbe(cluster.voters(), dir.resolve("data/node-1"));
             ImageProbe images = new ImageProbe();
             Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrap(1, 2, 3),
                     "request.timeout.ms", "3000", "default.api.timeout.ms", "20000"))) {
            QuorumProbe.View first = Waits.awaitValue("a leader", Duration.ofSeconds(30), probe::leader);
            List<String> status = Waits.awaitValue("describe --status naming the leader", Duration.ofSeconds(90),
                    () -> {
                        List<String> s = status(1);
                        QuorumProbe.View now = probe.leader();
                        return s != null && now != null && value(s, "LeaderId").equals(
                                String.valueOf(now.nodeId())) ? s : null;
                    });
            assertEquals(Set.of(1, 2, 3), ids(value(status, "CurrentVoters")), status.toString());
            assertEquals("[]", value(status, "CurrentObservers"), "combined nodes are voters, not observers");
            assertTrue(Long.parseLong(value(status, "LeaderEpoch")) >= first.term(), status.toString());
            assertEquals(8, status.size(), status.toString());

            Waits.await("three unfenced brokers", Duration.ofSeconds(60), () -> {
                try {
                    return admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size() == 3;
                } catch (Exception e) {
                    return false;
                }
            });
            createBefore(admin, "before", 3, System.nanoTime() + TimeUnit.SECONDS.toNanos(30));

            QuorumProbe.View leader = probe.leader();
            NodeProcess killed = cluster.node(leader.nodeId());
            killed.kill9();
            long killedAt = System.nanoTime();
            Waits.awaitValue("a new leader within 5 s of kill -9 of node " + leader.nodeId(), Duration.ofSeconds(5),
                    () -> {
                        QuorumProbe.View v = probe.leader();
                        return v != null && v.nodeId() != leader.nodeId() ? v : null;
                    });
            createBefore(admin, "after", 2, killedAt + TimeUnit.SECONDS.toNanos(10));

            killed.start();
            killed.awaitLog("Listening on PLAINTEXT", Duration.ofSeconds(90));
            int via = leader.nodeId() == 1 ? 2 : 1;
            Waits.await("describe --replication to show every voter at lag 0", Duration.ofSeconds(60), () -> {
                try {
                    RunnelCli.Result r = RunnelCli.run(dir, Duration.ofSeconds(60), "metadata-quorum",
                            "--bootstrap-server", cluster.bootstrap(via), "describe", "--replication");
                    if (r.exitCode() != 0 || r.out().size() != 4) {
                        return false;
                    }
                    for (String row : r.out().subList(1, 4)) {
                        String[] cells = row.trim().split("\\s*\t");
                        if (!cells[3].equals("0") || !(cells[6].equals("Leader") || cells[6].equals("Follower"))) {
                            return false;
                        }
                    }
                    return true;
                } catch (Exception e) {
                    return false;
                }
            });
            List<Long> pids = new ArrayList<>();
            cluster.nodes().forEach(n -> pids.add(n.pid()));
            List<ImageProbe.Image> same = Waits.awaitValue("equal image digests on all three nodes",
                    Duration.ofSeconds(60), () -> {
                        List<ImageProbe.Image> all = images.readAll(pids);
                        return all != null && all.stream().map(ImageProbe.Image::digest).distinct().count() == 1
                                && all.stream().map(ImageProbe.Image::lastAppliedOffset).distinct().count() == 1
                                ? all : null;
                    });
            assertEquals(64, same.get(0).digest().length());
            assertTrue(same.get(0).imageOffset() > 0 && same.get(0).imageOffset() <= same.get(0).lastAppliedOffset(),
                    same.toString());
        }
    }
}
