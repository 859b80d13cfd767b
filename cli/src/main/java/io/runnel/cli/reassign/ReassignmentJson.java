package io.runnel.cli.reassign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runnel.cli.client.JsonFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The JSON files of Kafka's {@code kafka-reassign-partitions.sh}, read and written with the same shapes:
 * <ul>
 *   <li>a reassignment ({@code --reassignment-json-file}, and what {@code --generate} / {@code --execute} print):
 *       {@code {"version":1,"partitions":[{"topic":"foo","partition":0,"replicas":[1,2],"log_dirs":["any","any"]}]}};
 *       {@code log_dirs} is optional;</li>
 *   <li>the topics to move ({@code --topics-to-move-json-file}): {@code {"topics":[{"topic":"foo"}],"version":1}}.</li>
 * </ul>
 * Runnel has one placement per broker and cannot move a replica between log directories (Kafka's KIP-113 "alter
 * log dirs"), so a {@code log_dirs} entry other than {@code "any"} is refused rather than ignored.
 */
final class ReassignmentJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReassignmentJson() {
    }

    /**
     * Reads a reassignment file.
     *
     * @return target replicas per partition, in file order
     * @throws IllegalArgumentException one line naming the fault: unreadable, not JSON, a missing or mistyped field,
     *                                  version other than 1, a partition listed twice, an empty or duplicated replica
     *                                  list, a log dir other than "any"
     */
    static Map<TopicPartition, List<Integer>> readReassignment(Path file) {
        return parseReassignment(JsonFiles.read(file), file.toString());
    }

    /** {@link #readReassignment} on {@code text}; {@code source} names it in messages. */
    static Map<TopicPartition, List<Integer>> parseReassignment(String text, String source) {
        JsonNode partitions = versioned(text, source).get("partitions");
        if (partitions == null || !partitions.isArray()) {
            throw new IllegalArgumentException("Missing partitions field in " + source);
        }
        Map<TopicPartition, List<Integer>> out = new LinkedHashMap<>();
        for (JsonNode entry : partitions) {
            TopicPartition tp = JsonFiles.topicPartition(entry, source);
            List<Integer> replicas = ints(entry.get("replicas"), "replicas", entry, source);
            if (replicas.isEmpty()) {
                throw new IllegalArgumentException("Partition " + tp + " has an empty replica list in " + source);
            }
            if (new HashSet<>(replicas).size() != replicas.size()) {
                throw new IllegalArgumentException("Partition " + tp + " has duplicate replicas " + replicas + " in "
                        + source);
            }
            JsonNode dirs = entry.get("log_dirs");
            if (dirs != null) {
                if (!dirs.isArray() || dirs.size() != replicas.size()) {
                    throw new IllegalArgumentException("Partition " + tp + ": log_dirs must list one entry per "
                            + "replica in " + source);
                }
                for (JsonNode d : dirs) {
                    if (!"any".equals(d.asText())) {
                        throw new IllegalArgumentException("Partition " + tp + ": log dir " + d + " is not supported"
                                + " (Runnel cannot move replicas between log directories; use \"any\")");
                    }
                }
            }
            if (out.put(tp, replicas) != null) {
                throw new IllegalArgumentException("Reassignment json file contains duplicate topic partitions: "
                        + tp);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("Partition reassignment list cannot be empty (" + source + ")");
        }
        return out;
    }

    /**
     * Reads a topics-to-move file.
     *
     * @return the topic names, in file order, without repeats
     * @throws IllegalArgumentException as {@link #readReassignment}
     */
    static List<String> readTopics(Path file) {
        String source = file.toString();
        JsonNode topics = versioned(JsonFiles.read(file), source).get("topics");
        if (topics == null || !topics.isArray()) {
            throw new IllegalArgumentException("Missing topics field in " + source);
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode entry : topics) {
            out.add(text(entry, "topic", source));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("List of topics to reassign cannot be empty (" + source + ")");
        }
        return List.copyOf(out);
    }

    /** The reassignment JSON of {@code assignment}, partitions sorted by topic then partition, on one line. */
    static String render(Map<TopicPartition, List<Integer>> assignment) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        ArrayNode partitions = root.putArray("partitions");
        for (TopicPartition tp : PlanTable.sorted(assignment.keySet())) {
            ObjectNode p = partitions.addObject();
            p.put("topic", tp.topic());
            p.put("partition", tp.partition());
            ArrayNode replicas = p.putArray("replicas");
            ArrayNode dirs = p.putArray("log_dirs");
            for (int r : assignment.get(tp)) {
                replicas.add(r);
                dirs.add("any");
            }
        }
        return root.toString();
    }

    private static JsonNode versioned(String text, String source) {
        JsonNode root = JsonFiles.object(text, source);
        JsonNode version = root.get("version");
        if (version != null && !(version.canConvertToInt() && version.asInt() == 1)) {
            throw new IllegalArgumentException("Not supported version field value " + version + " in " + source
                    + " (only 1)");
        }
        return root;
    }

    private static String text(JsonNode entry, String field, String source) {
        JsonNode v = entry.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException("an entry of " + source + " lacks a \"" + field + "\" string: "
                    + entry);
        }
        return v.asText();
    }

    private static List<Integer> ints(JsonNode v, String field, JsonNode entry, String source) {
        if (v == null || !v.isArray()) {
            throw new IllegalArgumentException("an entry of " + source + " lacks a \"" + field + "\" list: " + entry);
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode n : v) {
            if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 0) {
                throw new IllegalArgumentException("\"" + field + "\" of " + entry + " in " + source
                        + " must hold broker ids");
            }
            out.add(n.asInt());
        }
        return out;
    }
}
