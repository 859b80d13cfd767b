package io.runnel.jepsen.txn;

import io.runnel.jepsen.NodeProcess;
import io.runnel.jepsen.ProcessCluster;
import io.runnel.jepsen.Waits;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13's acceptance with real processes: on three combined nodes, a consume-transform-produce loop
 * ({@link Copier}: read_committed consumer, transactional producer, offsets committed in the transaction, every 7th
 * transaction aborted on purpose) copies 3,000 values from {@value #IN} to {@value #OUT} (3 partitions each, RF 3,
 * min.insync.replicas=2) while the transaction coordinator of its transactional id is killed with SIGKILL, restarted,
 * and the coordinator after it killed and restarted as well. Afterwards a fresh read_committed consumer finds every
 * input value in the output exactly once, no record of an aborted or abandoned attempt, every record of every attempt
 * whose commit returned, no transaction left open, and the group's committed offsets at the input's end.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ExactlyOnceKillProcessTest {
    static final String IN = "eos-in";
    static final String OUT = "eos-out";
    private static final int PARTITIONS = 3;
    private static final int VALUES = 3_000;
    private static final Duration LIMIT = Duration.ofSeconds(60);
    @TempDir
    Path dir;
    private ProcessCluster cluster;
    private Admin admin;
    private Copier copier;
    private Thread copierThread;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (copier != null) {
            copier.stop();
            copierThread.join(30_000);
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyInputValueIsCopiedExactlyOnceAcrossKill9OfTheTransactionCoordinator() throws Exception {
        long started = System.nanoTime();
        cluster = new ProcessCluster(dir, 3, true, Map.of("default.replication.factor", "3",
                "min.insync.replicas", "2", "broker.heartbeat.interval.ms", "500", "broker.session.timeout.ms",
                "4000", "group.initial.rebalance.delay.ms", "0", "replica.fetch.backoff.ms", "200",
                "transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000", "num.io.threads", "4",
                "num.network.threads", "2"));
        cluster.startAll();
        for (NodeProcess n : cluster.nodes()) {
            n.awaitLog("Listening on PLAINTEXT", LIMIT);
        }
        String bootstrap = cluster.bootstrap(1, 2, 3);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000));
        awaitLiveBrokers();
        admin.createTopics(List.of(new NewTopic(IN, PARTITIONS, (short) 3), new NewTopic(OUT, PARTITIONS, (short) 3)))
                .all().get(30, TimeUnit.SECONDS);
        awaitFullIsr(IN);
        awaitFullIsr(OUT);
        Map<TopicPartition, Long> inputEnd = seed(bootstrap);
        Output out = new Output(bootstrap, admin);
        assertEquals(inputEnd, out.endOffsets(IN, PARTITIONS, true), "the seeded input (no markers in it)");

        copier = new Copier(bootstrap, IN, OUT, inputEnd, 700);
        copierThread = new Thread(copier, "eos-copier");
        copierThread.setDaemon(true);
        copierThread.start();
        awaitCopied("the copier under way", 300);
        int first = killCoordinatorAndRestart();
        copier.allow(copier.copied() + 600);
        awaitCopied("the copier going on with every node up", copier.copied() + 200);
        int second = killCoordinatorAndRestart();
        copier.allow(Long.MAX_VALUE);
        Waits.await("the copier to commit the input's end offsets (" + copier.summary() + ")", Duration.ofSeconds(90),
                () -> copier.done() || copier.crash() != null);
        copier.stop();
        copierThread.join(30_000);
        assertNull(copier.crash(), () -> "the copier crashed: " + copier.crash());
        System.out.printf("ExactlyOnceKillProcessTest: killed coordinators %d then %d; %s; %d s%n", first, second,
                copier.summary(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));

        // every node is up again: check what a fresh read_committed consumer sees
        out.awaitNoOpenTransaction(OUT, PARTITIONS);
        EosCheck.check(out.readCommitted(OUT, PARTITIONS), VALUES, copier);
        Map<TopicPartition, Long> committed = new HashMap<>();
        admin.listConsumerGroupOffsets(Copier.GROUP).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                .forEach((tp, o) -> committed.put(tp, o == null ? null : o.offset()));
        assertEquals(inputEnd, committed, "the group's committed offsets are the offsets after the last input record");
    }

    /**
     * Finds the coordinator of the copier's transactional id, kills its node with SIGKILL, waits until another node
     * coordinates the id and the copier has committed 200 more records, restarts the node and waits for three live
     * brokers.
     *
     * @return the killed node's id
     */
    private int killCoordinatorAndRestart() throws Exception {
        int coordinator = Waits.awaitValue("the coordinator of " + Copier.TRANSACTIONAL_ID, LIMIT, () -> {
            int c = coordinatorOf();
            return c < 0 ? null : c;
        });
        NodeProcess node = cluster.node(coordinator);
        long before = copier.copied();
        long killedAt = System.nanoTime();
        node.kill9();
        Duration moved = Waits.await("a new coordinator of " + Copier.TRANSACTIONAL_ID + " after killing node "
                + coordinator, LIMIT, () -> {
                    int c = coordinatorOf();
                    return c > 0 && c != coordinator;
                });
        awaitCopied("the copier going on without node " + coordinator + " (" + copier.summary() + ")",
                before + 200);
        System.out.printf("ExactlyOnceKillProcessTest: killed node %d (coordinator of %s) at %d copied; coordinator"
                        + " moved after %d ms, 200 more copied after %d ms%n", coordinator,
                Copier.TRANSACTIONAL_ID, before, moved.toMillis(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
        node.start();
        node.awaitLog("Listening on PLAINTEXT", LIMIT);
        awaitLiveBrokers();
        return coordinator;
    }

    /** The node coordinating the copier's transactional id (DescribeTransactions), or -1 without an answer. */
    private int coordinatorOf() {
        try {
            return admin.describeTransactions(List.of(Copier.TRANSACTIONAL_ID)).description(Copier.TRANSACTIONAL_ID)
                    .get(5, TimeUnit.SECONDS).coordinatorId();
        } catch (Exception e) {
            return -1;
        }
    }

    private void awaitCopied(String what, long records) {
        Waits.await(what + ": " + records + " records copied", LIMIT, () -> {
            if (copier.crash() != null) {
                throw new AssertionError("the copier crashed", copier.crash());
            }
            return copier.copied() >= records;
        });
    }

    private void awaitLiveBrokers() {
        Waits.await("three unfenced brokers", LIMIT, () -> {
            try {
                return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == 3;
            } catch (Exception e) {
                return false;
            }
        });
    }

    private void awaitFullIsr(String topic) {
        Waits.await("a leader and a full ISR for every partition of " + topic, LIMIT, () -> {
            try {
                TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS)
                        .get(topic);
                return d.partitions().size() == PARTITIONS && d.partitions().stream()
                        .allMatch(p -> p.leader() != null && p.isr().size() == 3);
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** Writes v0..v{@value #VALUES}-1 round-robin over the input's partitions, idempotent, acks=all. */
    private static Map<TopicPartition, Long> seed(String bootstrap) throws Exception {
        Map<TopicPartition, Long> end = new HashMap<>();
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap, ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < VALUES; i++) {
                sent.add(p.send(new ProducerRecord<>(IN, i % PARTITIONS, null, "v" + i)));
            }
            for (Future<RecordMetadata> f : sent) {
                RecordMetadata m = f.get(60, TimeUnit.SECONDS);
                end.merge(new TopicPartition(IN, m.partition()), m.offset() + 1, Math::max);
            }
        }
        for (int p = 0; p < PARTITIONS; p++) {
            assertTrue(end.get(new TopicPartition(IN, p)) == VALUES / PARTITIONS, "seeded " + end);
        }
        return end;
    }
}
