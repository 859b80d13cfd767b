package io.runnel.cli.groups;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code --topic} value of {@code --reset-offsets} or {@code --delete-offsets}: a topic, or as Kafka's tool
 * accepts it, {@code topic:0,1,2} for some of its partitions.
 *
 * @param partitions the partitions given, or null for every partition of the topic
 */
record TopicScope(String topic, List<Integer> partitions) {

    /**
     * @throws IllegalArgumentException with Kafka's message for a malformed value
     */
    static TopicScope parse(String arg) {
        if (!arg.contains(":")) {
            if (arg.isBlank()) {
                throw new IllegalArgumentException("Invalid topic arg '" + arg + "', expected a topic name");
            }
            return new TopicScope(arg, null);
        }
        String[] parts = arg.split(":");
        if (parts.length != 2 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("Invalid topic arg '" + arg + "', expected topic name and partitions");
        }
        List<Integer> partitions = new ArrayList<>();
        for (String p : parts[1].split(",")) {
            try {
                int n = Integer.parseInt(p.trim());
                if (n < 0) {
                    throw new NumberFormatException();
                }
                partitions.add(n);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid partition '" + p + "' specified in topic arg '" + arg
                        + "'");
            }
        }
        return new TopicScope(parts[0], List.copyOf(partitions));
    }
}
