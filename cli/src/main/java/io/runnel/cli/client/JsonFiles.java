package io.runnel.cli.client;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.kafka.common.TopicPartition;

/**
 * Reading the JSON files Kafka's tools take ({@code --offset-json-file}, {@code --path-to-json-file}, ...): every
 * failure is an {@link IllegalArgumentException} with a one-line reason, which the commands report as a usage error.
 */
public final class JsonFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonFiles() {
    }

    /**
     * The file's text.
     *
     * @throws IllegalArgumentException {@code no such file: F} or {@code cannot read F: reason}
     */
    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * {@code text} parsed as one JSON object; {@code source} names it in messages.
     *
     * @throws IllegalArgumentException {@code The input string is not a valid JSON: source} (or {@code ... JSON
     *                                  object: source})
     */
    public static JsonNode object(String text, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("The input string is not a valid JSON: " + source);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("The input string is not a valid JSON object: " + source);
        }
        return root;
    }

    /**
     * The {@code "topic"} (a non-empty string) and {@code "partition"} (an int of at least 0) of one entry of a
     * {@code "partitions"} array.
     *
     * @throws IllegalArgumentException naming the entry when a field is missing or mistyped
     */
    public static TopicPartition topicPartition(JsonNode entry, String source) {
        JsonNode topic = entry.get("topic");
        JsonNode partition = entry.get("partition");
        if (topic == null || !topic.isTextual() || topic.asText().isEmpty()) {
            throw new IllegalArgumentException("a partition entry of " + source + " lacks a \"topic\" string: "
                    + entry);
        }
        if (partition == null || !partition.isIntegralNumber() || !partition.canConvertToInt()
                || partition.asInt() < 0) {
            throw new IllegalArgumentException("a partition entry of " + source + " lacks a \"partition\" number"
                    + " of at least 0: " + entry);
        }
        return new TopicPartition(topic.asText(), partition.asInt());
    }
}
