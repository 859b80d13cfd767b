package io.runnel.broker.replication;

import io.runnel.broker.testing.NodeCluster;
import io.runnel.broker.testing.QuorumBroker;
import io.runnel.metadata.image.PartitionRegistration;
import io.runnel.metadata.image.TopicImage;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Three combined nodes in this JVM with one partition to move (KIP-455): the cluster, the topic, and what the
 * reassignment tests read from it (the partition's registration in the nodes' images, its log directories, its
 * records through a consumer).
 */
abstract class ReassignmentClusterTest {
    static final String TOPIC = "moved";
    static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    static final org.apache.kafka.common.TopicPartition KTP = new org.apache.kafka.common.TopicPartition(
            TOPIC, 0);
    @TempDir
    Path dir;
    NodeCluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new StringSerializer());
    }

    /** The partition as a running node's metadata image shows it, or null. */
    PartitionRegistration registration() {
        for (int id = 1; id <= cluster.size(); id++) {
            if (cluster.node(id) != null) {
                TopicImage t = cluster.image(id).topicsByName().get(TOPIC);
                return t == null ? null : t.partition(0);
            }
        }
        return null;
    }

    PartitionRegistration awaitIsrOfAllReplicas() {
        QuorumBroker.await("both replicas in sync", () -> {
            PartitionRegistration p = registration();
            return p != null && p.isr().size() == 2 && p.replicas().stream()
                    .allMatch(id -> Replicas.replica(cluster, id, TP) != null);
        });
        return registration();
    }

    /** The directories of this topic's partition 0 under broker {@code id}'s log.dirs (deleted ones included). */
    List<Path> partitionDirs(int id) {
        try (Stream<Path> s = Files.list(dir.resolve("node-" + id))) {
            return s.filter(p -> p.getFileName().toString().startsWith(TOPIC + "-0")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<ConsumerRecord<String, String>> consumeFromBeginning(long count) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(List.of(KTP));
            consumer.seekToBeginning(List.of(KTP));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (out.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
