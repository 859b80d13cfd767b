import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The client of jepsen-tests/bench/reassign-bench.sh: one program, run the same way against Apache Kafka and Runnel
 * (java -cp "KAFKA_LIBS/*" ReassignBenchClient.java COMMAND --bootstrap-server HOST:PORT ...), so both systems get
 * the same requests and the same records.
 *
 * <pre>
 * await-brokers --count N --timeout-s T   polls Admin.describeCluster every 100 ms until it lists N brokers
 * create   --topic X                      one partition, replica assignment [1] (NewTopic with
 *                                         replicasAssignments), so replication factor 1 on broker 1
 * produce  --topic X --records N --record-size S --acks 1|all
 *                                         N records to partition 0, no key, values of S seeded pseudo-random letters
 *                                         and digits, compression none
 * reassign --topic X --throttle B --timeout-s T
 *                                         takes the partition's log size on broker 1 (Admin.describeLogDirs); with
 *                                         B > 0 sets the throttle as kafka-reassign-partitions.sh --throttle B does
 *                                         (leader.replication.throttled.rate and follower.replication.throttled.rate
 *                                         = B on brokers 1 and 2, topic leader.replication.throttled.replicas=0:1
 *                                         and follower.replication.throttled.replicas=0:2, incrementalAlterConfigs);
 *                                         then asks Admin.alterPartitionReassignments for [1,2] and polls every
 *                                         100 ms until Admin.listPartitionReassignments is empty and the ISR is
 *                                         {1,2}; prints "RESULT bytes=B seconds=S" (seconds from the request)
 * </pre>
 *
 * Prints one summary line per command on stdout (progress on stderr); any client error or timeout exits 1 with the
 * error on stderr, a bad argument exits 2.
 */
public class ReassignBenchClient {
    /** Letters and digits, 32 of them, so 5 random bits pick one. */
    private static final byte[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final long POLL_MS = 100;
    private static final long PROGRESS_MS = 5000;

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage("no command; expected await-brokers, create, produce or reassign");
        }
        Map<String, String> flags = parseFlags(args);
        String bootstrap = required(flags, "--bootstrap-server");
        switch (args[0]) {
            case "await-brokers" -> awaitBrokers(bootstrap, (int) positiveLong(flags, "--count"),
                    positiveLong(flags, "--timeout-s"));
            case "create" -> create(bootstrap, required(flags, "--topic"));
            case "produce" -> produce(bootstrap, required(flags, "--topic"), positiveLong(flags, "--records"),
                    (int) positiveLong(flags, "--record-size"), flags.getOrDefault("--acks", "all"));
            case "reassign" -> reassign(bootstrap, required(flags, "--topic"),
                    Long.parseLong(flags.getOrDefault("--throttle", "0")), positiveLong(flags, "--timeout-s"));
            default -> usage("unknown command '" + args[0] + "'; expected await-brokers, create, produce or reassign");
        }
    }

    private static void awaitBrokers(String bootstrap, int count, long timeoutS) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        try (Admin admin = admin(bootstrap)) {
            Collection<Node> nodes = List.of();
            while (System.nanoTime() < deadline) {
                try {
                    nodes = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
                    if (nodes.size() >= count) {
                        System.out.println("cluster has " + nodes.size() + " brokers: " + nodes);
                        return;
                    }
                } catch (Exception e) {
                    System.err.println("ReassignBenchClient: describeCluster: " + e);
                }
                Thread.sleep(POLL_MS);
            }
            fail("within " + timeoutS + "s describeCluster listed " + nodes.size() + " brokers, not " + count
                    + ": " + nodes);
        }
    }

    private static void create(String bootstrap, String topic) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(topic, Map.of(0, List.of(1))))).all().get(60, TimeUnit.SECONDS);
            // Wait until the leader serves it, so the producer does not start against a topic still being created.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try {
                    TopicPartitionInfo p = partition(admin, topic);
                    if (p.leader() != null && p.leader().id() == 1) {
                        break;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                }
                if (System.nanoTime() > deadline) {
                    fail("topic " + topic + " has no leader on broker 1 within 60s");
                }
                Thread.sleep(POLL_MS);
            }
        }
        System.out.println("created " + topic + ": 1 partition, replicas [1]");
    }

    private static void produce(String bootstrap, String topic, long records, int recordSize, String acks)
            throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, acks);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(64 * 1024));
        props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(64L * 1024 * 1024));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        SplittableRandom random = new SplittableRandom(42);
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicLong acked = new AtomicLong();
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (long i = 0; i < records && failure.get() == null; i++) {
                byte[] value = new byte[recordSize];
                fill(value, random);
                producer.send(new ProducerRecord<>(topic, 0, null, value), (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    } else {
                        acked.incrementAndGet();
                    }
                });
                if ((i + 1) % Math.max(1, records / 10) == 0) {
                    System.err.printf(Locale.ROOT, "ReassignBenchClient: %d/%d records sent%n", i + 1, records);
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            fail("producing to " + topic + " failed: " + failure.get());
        }
        if (acked.get() != records) {
            fail(acked.get() + " of " + records + " records acknowledged");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "produced %d records of %d bytes (acks=%s, compression none) in %.1f seconds"
                + " (%.1f MiB/s of values)%n", records, recordSize, acks, seconds,
                records * (double) recordSize / 1048576.0 / seconds);
    }

    private static void reassign(String bootstrap, String topic, long throttle, long timeoutS) throws Exception {
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Admin admin = admin(bootstrap)) {
            long bytes = logSize(admin, 1, tp).orElseThrow(() -> new IllegalStateException(
                    "broker 1's describeLogDirs has no replica of " + tp));
            System.err.printf(Locale.ROOT, "ReassignBenchClient: %s is %d bytes on broker 1; replicas %s%n", tp, bytes,
                    ids(partition(admin, topic).replicas()));
            if (throttle > 0) {
                setThrottle(admin, topic, throttle);
            }
            long start = System.nanoTime();
            admin.alterPartitionReassignments(Map.of(tp, Optional.of(new NewPartitionReassignment(List.of(1, 2)))))
                    .all().get(60, TimeUnit.SECONDS);
            long requested = System.nanoTime();
            System.err.printf(Locale.ROOT, "ReassignBenchClient: reassignment of %s to [1, 2] accepted in %.3f s%n",
                    tp, (requested - start) / 1e9);
            long deadline = start + TimeUnit.SECONDS.toNanos(timeoutS);
            long nextProgress = start + TimeUnit.MILLISECONDS.toNanos(PROGRESS_MS);
            String state = "";
            while (true) {
                Map<TopicPartition, PartitionReassignment> ongoing =
                        admin.listPartitionReassignments().reassignments().get(30, TimeUnit.SECONDS);
                TopicPartitionInfo p = partition(admin, topic);
                List<Integer> isr = ids(p.isr());
                long now = System.nanoTime();
                if (ongoing.isEmpty() && new TreeSet<>(isr).equals(new TreeSet<>(List.of(1, 2)))) {
                    double seconds = (now - start) / 1e9;
                    long copied = logSize(admin, 2, tp).orElse(-1L);
                    System.err.printf(Locale.ROOT, "ReassignBenchClient: done after %.3f s: replicas %s, isr %s,"
                            + " %d bytes on broker 2%n", seconds, ids(p.replicas()), isr, copied);
                    System.out.printf(Locale.ROOT, "RESULT bytes=%d seconds=%.3f mib_per_s=%.2f throttle=%d"
                            + " broker2_bytes=%d%n", bytes, seconds, bytes / 1048576.0 / seconds, throttle, copied);
                    return;
                }
                state = "reassignments " + ongoing.keySet() + ", replicas " + ids(p.replicas()) + ", isr " + isr;
                if (now > deadline) {
                    fail("the reassignment did not finish within " + timeoutS + "s: " + state);
                }
                if (now > nextProgress) {
                    nextProgress = now + TimeUnit.MILLISECONDS.toNanos(PROGRESS_MS);
                    System.err.printf(Locale.ROOT, "ReassignBenchClient: %.1f s: %s, broker 2 has %s bytes%n",
                            (now - start) / 1e9, state, logSize(admin, 2, tp).map(String::valueOf).orElse("no"));
                }
                Thread.sleep(POLL_MS);
            }
        }
    }

    /** What kafka-reassign-partitions.sh --throttle sets: both rates on each broker, the moving replicas per side. */
    private static void setThrottle(Admin admin, String topic, long throttle) throws Exception {
        Map<ConfigResource, Collection<AlterConfigOp>> ops = new HashMap<>();
        for (int broker : List.of(1, 2)) {
            ops.put(new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(broker)), List.of(
                    set("leader.replication.throttled.rate", Long.toString(throttle)),
                    set("follower.replication.throttled.rate", Long.toString(throttle))));
        }
        ops.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(
                set("leader.replication.throttled.replicas", "0:1"),
                set("follower.replication.throttled.replicas", "0:2")));
        admin.incrementalAlterConfigs(ops).all().get(60, TimeUnit.SECONDS);
        System.err.printf(Locale.ROOT, "ReassignBenchClient: throttle set: %d bytes/s on brokers 1 and 2, %s"
                + " leader.replication.throttled.replicas=0:1 follower.replication.throttled.replicas=0:2%n",
                throttle, topic);
    }

    private static AlterConfigOp set(String key, String value) {
        return new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET);
    }

    /** The size of {@code tp}'s replica on {@code broker}, summed over its log dirs; empty when it has none. */
    private static Optional<Long> logSize(Admin admin, int broker, TopicPartition tp) throws Exception {
        Map<Integer, Map<String, LogDirDescription>> all =
                admin.describeLogDirs(List.of(broker)).allDescriptions().get(30, TimeUnit.SECONDS);
        Long size = null;
        for (LogDirDescription dir : all.getOrDefault(broker, Map.of()).values()) {
            ReplicaInfo info = dir.replicaInfos().get(tp);
            if (info != null) {
                size = (size == null ? 0 : size) + info.size();
            }
        }
        return Optional.ofNullable(size);
    }

    private static TopicPartitionInfo partition(Admin admin, String topic) throws Exception {
        TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
        return d.partitions().get(0);
    }

    private static List<Integer> ids(List<Node> nodes) {
        List<Integer> ids = new ArrayList<>();
        for (Node n : nodes) {
            ids.add(n.id());
        }
        return ids;
    }

    private static void fill(byte[] value, SplittableRandom random) {
        int i = 0;
        while (i < value.length) {
            long bits = random.nextLong();
            for (int j = 0; j < 12 && i < value.length; j++, i++) {
                value[i] = ALPHABET[(int) (bits & 31)];
                bits >>>= 5;
            }
        }
    }

    private static Admin admin(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(props);
    }

    private static Map<String, String> parseFlags(String[] args) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                usage("expected --flag value pairs after the command, got '" + args[i] + "'");
            }
            flags.put(args[i], args[i + 1]);
        }
        return flags;
    }

    private static String required(Map<String, String> flags, String name) {
        String value = flags.get(name);
        if (value == null) {
            usage("missing " + name);
        }
        return value;
    }

    private static long positiveLong(Map<String, String> flags, String name) {
        String value = required(flags, name);
        try {
            long n = Long.parseLong(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage(name + " takes a positive integer, got '" + value + "'");
        return 0;
    }

    private static void fail(String problem) {
        System.err.println("ReassignBenchClient: " + problem);
        System.exit(1);
    }

    private static void usage(String problem) {
        System.err.println("ReassignBenchClient: " + problem);
        System.err.println("usage: ReassignBenchClient await-brokers|create|produce|reassign --bootstrap-server"
                + " HOST:PORT [command flags, see the class comment]");
        System.exit(2);
    }
}
