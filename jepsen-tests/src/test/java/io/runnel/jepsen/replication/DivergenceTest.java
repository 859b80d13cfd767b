package io.runnel.jepsen.replication;

import io.runnel.jepsen.Waits;
import io.runnel.log.FileSlice;
import io.runnel.log.LogConfig;
import io.runnel.log.PartitionLog;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 5's divergence acceptance with real processes: the leader is cut off (its followers SIGSTOPped) while it
 * takes acks=1 records the others never get; then it is SIGSTOPped itself, the followers resume and elect a new leader
 * that takes more records; the old leader resumes as a follower, finds where its log diverged (KIP-101/KIP-279 epochs)
 * and truncates its own records. Afterwards the three replicas' logs, read from disk after a clean shutdown, hold
 * identical batches, and no consumer ever sees the cut-off leader's records.
 */
@Timeout(240)
class DivergenceTest {
    private static final String TOPIC = "diverge";
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;
    private ReplicatedCluster cluster;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aCutOffLeaderTruncatesWhatOnlyItHadAndConverges() throws Exception {
        cluster = new ReplicatedCluster(dir, Map.of("broker.session.timeout.ms", "3000",
                "replica.lag.time.max.ms", "30000", "auto.leader.rebalance.enable", "false"));
        cluster.createTopic(TOPIC, 1, Map.of("min.insync.replicas", "1"));
        int old = cluster.leader(TOPIC, 0);
        int f1 = old % 3 + 1;
        int f2 = f1 % 3 + 1;
        produce(cluster.bootstrap(), "all", "committed-", 100);

        cluster.node(f1).pause();
        cluster.node(f2).pause();
        // let the followers' fetches in flight expire (replica.fetch.wait.max.ms = 500): a long-polling fetch would
        // otherwise be answered with the next records into the paused follower's socket buffer
        Thread.sleep(1_500);
        produce("127.0.0.1:" + cluster.brokerPort(old), "1", "isolated-", 50);
        cluster.node(old).pause();
        cluster.node(f1).resume();
        cluster.node(f2).resume();
        int next = Waits.awaitValue("a new leader among " + f1 + " and " + f2, Duration.ofSeconds(60), () -> {
            int l = leaderVia(old);
            return l == f1 || l == f2 ? l : null;
        });
        produce(cluster.bootstrapWithout(old), "all", "after-", 30);

        cluster.node(old).resume();
        // until it has replayed the metadata log, the old leader still answers as leader of epoch 0 with a full ISR
        cluster.awaitSameServedImage();
        Waits.await("broker " + old + " back in the ISR", Duration.ofSeconds(60),
                () -> List.of(1, 2, 3).equals(cluster.isr(TOPIC, 0)));
        produce(cluster.bootstrap(), "all", "converged-", 1);
        List<String> values = cluster.readValues(TOPIC, 0);
        assertEquals(131, values.size(), "every acknowledged acks=all record, nothing else: " + values.size());
        assertTrue(values.stream().noneMatch(v -> v.startsWith("isolated-")), "the cut-off leader's records");
        assertTrue(cluster.node(old).log().stream().anyMatch(l -> l.contains("diverged from leader")),
                "broker " + old + " logged its truncation");
        Thread.sleep(2_000); // followers learn the last high watermark on their next fetch

        cluster.terminateAll();
        byte[] reference = null;
        for (int id = 1; id <= 3; id++) {
            try (PartitionLog log = PartitionLog.open(dir.resolve("data/node-" + id).resolve(TOPIC + "-0"),
                    LogConfig.DEFAULT)) {
                assertEquals(131, log.logEndOffset(), "log end offset of broker " + id);
                assertEquals(131, log.highWatermark(), "high watermark of broker " + id);
                byte[] bytes = readAll(log);
                if (reference == null) {
                    reference = bytes;
                } else {
                    assertArrayEquals(reference, bytes, "broker " + id + "'s batches differ from broker 1's");
                }
            }
        }
        System.out.println("old leader " + old + ", new leader " + next + ": replicas identical, "
                + reference.length + " bytes");
    }

    private int leaderVia(int excluded) {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                "bootstrap.servers", cluster.bootstrapWithout(excluded), "request.timeout.ms", 3_000,
                "default.api.timeout.ms", 5_000))) {
            var d = admin.describeTopics(List.of(TOPIC)).allTopicNames().get(5, TimeUnit.SECONDS).get(TOPIC);
            var leader = d.partitions().get(0).leader();
            return leader == null || leader.isEmpty() ? -1 : leader.id();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void produce(String bootstrap, String acks, String prefix, int count) throws Exception {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, acks, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sent.add(producer.send(new ProducerRecord<>(TOPIC, prefix + i)));
            }
            for (Future<?> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
    }

    private static byte[] readAll(PartitionLog log) throws Exception {
        FileSlice slice = log.read(log.logStartOffset(), Integer.MAX_VALUE, log.logEndOffset());
        ByteBuffer b = slice.readAll();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }
}
