package io.runnel.cli.logdirs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * The JSON document {@code kafka-log-dirs.sh --describe} prints, with its field order, on one line:
 * <pre>{"brokers":[{"broker":1,"logDirs":[{"partitions":[{"partition":"t-0","size":1024,"offsetLag":0,
 * "isFuture":false}],"error":null,"logDir":"/var/lib/runnel"}]}],"version":1}</pre>
 * {@code size} in bytes (the replica's segments), {@code offsetLag} in offsets, {@code error} the class name of the
 * log dir's error (e.g. {@code org.apache.kafka.common.errors.KafkaStorageException}) or null. Brokers ascending,
 * log dirs by path, partitions by topic then partition (Kafka leaves these in hash order).
 */
final class LogDirsJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LogDirsJson() {
    }

    /** @param topics the topics to show; empty for all */
    static String format(Map<Integer, Map<String, LogDirDescription>> byBroker, Set<String> topics) {
        List<Object> brokers = new ArrayList<>();
        new TreeMap<>(byBroker).forEach((broker, dirs) -> {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("broker", broker);
            b.put("logDirs", logDirs(dirs, topics));
            brokers.add(b);
        });
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("brokers", brokers);
        root.put("version", 1);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Object> logDirs(Map<String, LogDirDescription> dirs, Set<String> topics) {
        List<Object> out = new ArrayList<>();
        new TreeMap<>(dirs).forEach((path, d) -> {
            Map<TopicPartition, ReplicaInfo> sorted = new TreeMap<>(Comparator.comparing(TopicPartition::topic)
                    .thenComparingInt(TopicPartition::partition));
            d.replicaInfos().forEach((tp, info) -> {
                if (topics.isEmpty() || topics.contains(tp.topic())) {
                    sorted.put(tp, info);
                }
            });
            List<Object> partitions = new ArrayList<>();
            sorted.forEach((tp, info) -> {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("partition", tp.toString());
                p.put("size", info.size());
                p.put("offsetLag", info.offsetLag());
                p.put("isFuture", info.isFuture());
                partitions.add(p);
            });
            Map<String, Object> dir = new LinkedHashMap<>();
            dir.put("partitions", partitions);
            dir.put("error", d.error() == null ? null : d.error().getClass().getName());
            dir.put("logDir", path);
            out.add(dir);
        });
        return out;
    }
}
