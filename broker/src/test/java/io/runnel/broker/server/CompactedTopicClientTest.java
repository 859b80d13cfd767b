package io.runnel.broker.server;

import io.runnel.broker.testing.NodeCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Compacted topics with the real kafka-clients producer against a node started from Kafka's server keys
 * ({@code log.cleanup.policy=compact} and {@code log.cleaner.*} topic defaults): the broker defaults show in
 * DescribeConfigs with their source; a keyless record fails with InvalidRecordException and Kafka's message and
 * moves no offset, with every codec; keyed records and tombstones are appended; other partitions of the same request
 * are unaffected.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CompactedTopicClientTest {
    @TempDir
    static Path dir;
    static NodeCluster cluster;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        cluster = NodeCluster.start(dir, 1, Map.of("log.cleanup.policy", "compact",
                "log.cleaner.min.cleanable.ratio", "0.25", "log.cleaner.min.compaction.lag.ms", "1000",
                "log.cleaner.max.compaction.lag.ms", "600000", "log.cleaner.delete.retention.ms", "5000"));
        admin = cluster.admin();
        // "compacted" takes the broker's log.cleanup.policy; "plain" overrides it
        admin.createTopics(List.of(new NewTopic("compacted", 1, (short) 1),
                new NewTopic("plain", 1, (short) 1).configs(Map.of("cleanup.policy", "delete"))))
                .all().get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static KafkaProducer<String, String> producer(String codec, int lingerMs) {
        Properties p = new Properties();
        p.put("bootstrap.servers", cluster.bootstrap());
        p.put("acks", "all");
        p.put("compression.type", codec);
        p.put("linger.ms", Integer.toString(lingerMs));
        p.put("retries", "0");
        p.put("delivery.timeout.ms", Integer.toString(lingerMs + 60_000));
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    static long logEndOffset(String topic) throws Exception {
        TopicPartition tp = new TopicPartition(topic, 0);
        return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get(60, TimeUnit.SECONDS)
                .offset();
    }

    static Throwable failure(Future<RecordMetadata> f) {
        return assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS)).getCause();
    }

    @Test
    void brokerDefaultsOfTheCompactionKeysShowWithTheirSource() throws Exception {
        ConfigResource t = new ConfigResource(ConfigResource.Type.TOPIC, "compacted");
        Config c = admin.describeConfigs(List.of(t), new DescribeConfigsOptions().includeSynonyms(true)).values()
                .get(t).get(60, TimeUnit.SECONDS);
        Map<String, String> expected = Map.of("cleanup.policy", "compact", "min.cleanable.dirty.ratio", "0.25",
                "min.compaction.lag.ms", "1000", "max.compaction.lag.ms", "600000", "delete.retention.ms", "5000");
        Map<String, String> brokerKeys = Map.of("cleanup.policy", "log.cleanup.policy",
                "min.cleanable.dirty.ratio", "log.cleaner.min.cleanable.ratio",
                "min.compaction.lag.ms", "log.cleaner.min.compaction.lag.ms",
                "max.compaction.lag.ms", "log.cleaner.max.compaction.lag.ms",
                "delete.retention.ms", "log.cleaner.delete.retention.ms");
        expected.forEach((key, value) -> {
            ConfigEntry e = c.get(key);
            assertEquals(value, e.value(), key);
            assertEquals(ConfigSource.STATIC_BROKER_CONFIG, e.source(), key);
            assertEquals(brokerKeys.get(key), e.synonyms().get(0).name(), key);
        });
        assertEquals(ConfigSource.DYNAMIC_TOPIC_CONFIG, describe("plain").get("cleanup.policy").source());

        ConfigResource b = new ConfigResource(ConfigResource.Type.BROKER, "1");
        Config broker = admin.describeConfigs(List.of(b)).values().get(b).get(60, TimeUnit.SECONDS);
        assertEquals("1", broker.get("log.cleaner.threads").value());
        assertEquals(ConfigSource.DEFAULT_CONFIG, broker.get("log.cleaner.threads").source());
        assertEquals("0.25", broker.get("log.cleaner.min.cleanable.ratio").value());
        assertEquals(ConfigEntry.ConfigType.DOUBLE, broker.get("log.cleaner.io.buffer.load.factor").type());
        assertEquals("134217728", broker.get("log.cleaner.dedupe.buffer.size").value());
    }

    static Config describe(String topic) throws Exception {
        ConfigResource t = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(t)).values().get(t).get(60, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void aKeylessRecordIsRefusedAndKeyedOnesAndTombstonesAppended(String codec) throws Exception {
        try (KafkaProducer<String, String> producer = producer(codec, 0)) {
            assertNotNull(producer.send(new ProducerRecord<>("compacted", 0, "k-" + codec, "v")).get(60,
                    TimeUnit.SECONDS));
            assertNotNull(producer.send(new ProducerRecord<>("compacted", 0, "k-" + codec, null)).get(60,
                    TimeUnit.SECONDS));
            long end = logEndOffset("compacted");
            Throwable t = failure(producer.send(new ProducerRecord<>("compacted", 0, null, "no key")));
            assertInstanceOf(InvalidRecordException.class, t);
            assertEquals("Compacted topic cannot accept message without key in topic partition compacted-0.",
                    t.getMessage());
            assertEquals(end, logEndOffset("compacted"));
            RecordMetadata after = producer.send(new ProducerRecord<>("compacted", 0, "again-" + codec, "v"))
                    .get(60, TimeUnit.SECONDS);
            assertEquals(end, after.offset());
            assertEquals(end + 1, logEndOffset("compacted"));
        }
    }

    @Test
    void theKeylessRecordsBatchFailsWholeAndOtherPartitionsOfTheRequestAreAppended() throws Exception {
        long compactedEnd = logEndOffset("compacted");
        long plainEnd = logEndOffset("plain");
        try (KafkaProducer<String, String> producer = producer("lz4", 60_000)) {
            Future<RecordMetadata> keyed = producer.send(new ProducerRecord<>("compacted", 0, "k", "v"));
            Future<RecordMetadata> keyless = producer.send(new ProducerRecord<>("compacted", 0, null, "v"));
            Future<RecordMetadata> elsewhere = producer.send(new ProducerRecord<>("plain", 0, null, "v"));
            producer.flush();
            Throwable blamed = failure(keyless);
            assertInstanceOf(InvalidRecordException.class, blamed);
            Throwable bystander = failure(keyed);
            assertInstanceOf(KafkaException.class, bystander);
            assertEquals(KafkaException.class, bystander.getClass(), "the keyed record is not the one to blame");
            assertEquals(plainEnd, elsewhere.get(60, TimeUnit.SECONDS).offset());
        }
        assertEquals(compactedEnd, logEndOffset("compacted"));
        assertEquals(plainEnd + 1, logEndOffset("plain"));
    }
}
