package io.runnel.cli.leaders;

import com.fasterxml.jackson.databind.JsonNode;
import io.runnel.cli.client.JsonFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The {@code --path-to-json-file} of {@code leader-election}, in the format of Kafka's {@code
 * kafka-leader-election.sh}: {@code {"partitions":[{"topic":"foo","partition":1},{"topic":"bar","partition":2}]}}.
 * Other top-level fields are ignored, as Kafka does.
 */
final class ElectionJsonFile {
    private ElectionJsonFile() {
    }

    /**
     * Reads and checks the file.
     *
     * @return the partitions, in file order
     * @throws IllegalArgumentException with a one-line reason: unreadable file, not JSON, a missing or mistyped
     *                                  field, a partition listed twice
     */
    static Set<TopicPartition> read(Path file) {
        return parse(JsonFiles.read(file), file.toString());
    }

    /** {@link #read} on {@code text}; {@code source} names it in messages. */
    static Set<TopicPartition> parse(String text, String source) {
        JsonNode partitions = JsonFiles.object(text, source).get("partitions");
        if (partitions == null || !partitions.isArray()) {
            throw new IllegalArgumentException("Replica election data is missing \"partitions\" field: " + source);
        }
        Set<TopicPartition> out = new LinkedHashSet<>();
        List<String> duplicates = new ArrayList<>();
        for (JsonNode entry : partitions) {
            TopicPartition tp = JsonFiles.topicPartition(entry, source);
            if (!out.add(tp)) {
                duplicates.add(tp.toString());
            }
        }
        if (!duplicates.isEmpty()) {
            throw new IllegalArgumentException("Replica election data contains duplicate partitions: "
                    + String.join(",", duplicates));
        }
        return out;
    }
}
