package io.runnel.metadata.image;

import java.util.regex.Pattern;

/**
 * Kafka's rules for topic names: 1..249 characters from {@code [a-zA-Z0-9._-]}, and neither {@code "."} nor
 * {@code ".."} (they would name the log directory's parent). Violations are INVALID_TOPIC_EXCEPTION (17).
 */
public final class TopicNames {
    /** Longest legal name: 255 (file name limit) minus room for "-" + partition suffix and deletion markers. */
    public static final int MAX_LENGTH = 249;
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");

    private TopicNames() {
    }

    /** Why {@code name} is not a legal topic name, or null when it is. */
    public static String invalidReason(String name) {
        if (name == null || name.isEmpty()) {
            return "Topic name is empty";
        }
        if (name.equals(".") || name.equals("..")) {
            return "Topic name cannot be \".\" or \"..\"";
        }
        if (name.length() > MAX_LENGTH) {
            return "Topic name is longer than " + MAX_LENGTH + " characters: " + name.length();
        }
        if (!LEGAL.matcher(name).matches()) {
            return "Topic name '" + name + "' contains characters other than ASCII alphanumerics, '.', '_' and '-'";
        }
        return null;
    }
}
