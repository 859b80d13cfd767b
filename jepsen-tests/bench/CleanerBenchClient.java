import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The client of jepsen-tests/bench/cleaner-bench.sh: one program, run the same way against Apache Kafka and Runnel
 * (java -cp "KAFKA_LIBS/*" CleanerBenchClient.java COMMAND --bootstrap-server HOST:PORT --topic T ...), so both
 * systems get byte-for-byte the same topic configs and the same records.
 *
 * <pre>
 * create  --segment-bytes B              one partition, replication factor 1, cleanup.policy=compact,
 *                                        min.cleanable.dirty.ratio=0.01, segment.bytes=B, and
 *                                        min.compaction.lag.ms=86400000 so nothing is cleanable while producing
 * produce --records N --distinct-keys K --record-size S --seed X --compression none|gzip|snappy|lz4|zstd
 *                                        N records; the first K carry the keys 0..K-1 in a seeded shuffled order
 *                                        (so exactly K distinct keys exist), the other N-K a seeded uniform draw
 *                                        of them; keys are "key-" and 10 digits (14 bytes); each value is S bytes
 *                                        of seeded pseudo-random letters and digits (so lz4/zstd have work to do)
 * enable-cleaning                        sets min.compaction.lag.ms=0 (IncrementalAlterConfigs), after which the
 *                                        cleaner may clean everything but the active segment
 * </pre>
 *
 * Prints one summary line per command on stdout; any client error exits 1 with the error on stderr, a bad
 * argument exits 2.
 */
public class CleanerBenchClient {
    /** Letters and digits, 32 of them, so 5 random bits pick one. */
    private static final byte[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345".getBytes(StandardCharsets.US_ASCII);
    private static final String HOLD_OFF_LAG_MS = "86400000";

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage("no command; expected create, produce or enable-cleaning");
        }
        Map<String, String> flags = parseFlags(args);
        String bootstrap = required(flags, "--bootstrap-server");
        String topic = required(flags, "--topic");
        switch (args[0]) {
            case "create" -> create(bootstrap, topic, positiveLong(flags, "--segment-bytes"));
            case "produce" -> produce(bootstrap, topic, positiveLong(flags, "--records"),
                    positiveLong(flags, "--distinct-keys"), (int) positiveLong(flags, "--record-size"),
                    Long.parseLong(flags.getOrDefault("--seed", "42")), flags.getOrDefault("--compression", "none"));
            case "enable-cleaning" -> enableCleaning(bootstrap, topic);
            default -> usage("unknown command '" + args[0] + "'; expected create, produce or enable-cleaning");
        }
    }

    private static void create(String bootstrap, String topic, long segmentBytes) throws Exception {
        Map<String, String> configs = Map.of(
                "cleanup.policy", "compact",
                "min.cleanable.dirty.ratio", "0.01",
                "segment.bytes", Long.toString(segmentBytes),
                "min.compaction.lag.ms", HOLD_OFF_LAG_MS);
        try (Admin admin = admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(configs))).all()
                    .get(60, TimeUnit.SECONDS);
        }
        System.out.println("created " + topic + " with " + new java.util.TreeMap<>(configs));
    }

    private static void enableCleaning(String bootstrap, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = admin(bootstrap)) {
            Collection<AlterConfigOp> ops = List.of(
                    new AlterConfigOp(new ConfigEntry("min.compaction.lag.ms", "0"), AlterConfigOp.OpType.SET));
            admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get(60, TimeUnit.SECONDS);
            Config config = admin.describeConfigs(List.of(resource)).all().get(60, TimeUnit.SECONDS).get(resource);
            ConfigEntry lag = config.get("min.compaction.lag.ms");
            if (lag == null || !"0".equals(lag.value())) {
                System.err.println("CleanerBenchClient: after the alter, " + topic + " describes min.compaction.lag.ms="
                        + (lag == null ? "(absent)" : lag.value()) + ", not 0");
                System.exit(1);
            }
        }
        System.out.println("enabled cleaning of " + topic + " (min.compaction.lag.ms=0)");
    }

    private static void produce(String bootstrap, String topic, long records, long distinctKeys, int recordSize,
                                long seed, String compression) throws Exception {
        if (distinctKeys > records || distinctKeys > Integer.MAX_VALUE) {
            usage("--distinct-keys must be at most --records and 2^31-1, got " + distinctKeys);
        }
        int k = (int) distinctKeys;
        SplittableRandom keyRandom = new SplittableRandom(seed);
        SplittableRandom valueRandom = new SplittableRandom(seed ^ 0x5DEECE66DL);
        int[] firstKeys = new int[k];
        for (int i = 0; i < k; i++) {
            firstKeys[i] = i;
        }
        for (int i = k - 1; i > 0; i--) { // Fisher-Yates
            int j = keyRandom.nextInt(i + 1);
            int t = firstKeys[i];
            firstKeys[i] = firstKeys[j];
            firstKeys[j] = t;
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(64 * 1024));
        props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(64L * 1024 * 1024));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicLong acked = new AtomicLong();
        long start = System.nanoTime();
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (long i = 0; i < records && failure.get() == null; i++) {
                int key = i < k ? firstKeys[(int) i] : keyRandom.nextInt(k);
                byte[] keyBytes = String.format(Locale.ROOT, "key-%010d", key).getBytes(StandardCharsets.US_ASCII);
                byte[] value = new byte[recordSize];
                fill(value, valueRandom);
                bytes += keyBytes.length + value.length;
                producer.send(new ProducerRecord<>(topic, 0, keyBytes, value), (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    } else {
                        acked.incrementAndGet();
                    }
                });
                if ((i + 1) % Math.max(1, records / 10) == 0) {
                    System.err.printf(Locale.ROOT, "CleanerBenchClient: %d/%d records sent%n", i + 1, records);
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            System.err.println("CleanerBenchClient: producing to " + topic + " failed: " + failure.get());
            System.exit(1);
        }
        if (acked.get() != records) {
            System.err.println("CleanerBenchClient: " + acked.get() + " of " + records + " records acknowledged");
            System.exit(1);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "produced %d records (%d distinct keys, %d bytes of keys and values, "
                        + "compression %s) in %.1f seconds (%.1f MB/sec)%n", records, k, bytes, compression, seconds,
                bytes / 1048576.0 / seconds);
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

    private static void usage(String problem) {
        System.err.println("CleanerBenchClient: " + problem);
        System.err.println("usage: CleanerBenchClient create|produce|enable-cleaning --bootstrap-server HOST:PORT"
                + " --topic T [command flags, see the class comment]");
        System.exit(2);
    }
}
