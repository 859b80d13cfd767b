package io.runnel.broker.config;

import java.util.Arrays;
import java.util.List;

/** The value types of server configuration keys, with Kafka's parsing rules (Kafka docs, "Broker Configs"). */
public enum ConfigType {
    /** A 32-bit signed integer. */
    INT,
    /** A 64-bit signed integer. */
    LONG,
    /** A 64-bit floating-point number (Java's {@code Double.parseDouble}); NaN is refused. */
    DOUBLE,
    /** {@code true} or {@code false}, case-insensitive. */
    BOOLEAN,
    /** Free text, trimmed. */
    STRING,
    /** Comma-separated values, each trimmed, blanks dropped. */
    LIST;

    /**
     * Parses {@code raw} for {@code key}.
     *
     * @return an Integer, Long, Double, Boolean, String or List&lt;String&gt;
     * @throws ServerConfigException naming the key and what was expected
     */
    public Object parse(String key, String raw) {
        String v = raw.trim();
        try {
            return switch (this) {
                case INT -> Integer.parseInt(v);
                case LONG -> Long.parseLong(v);
                case DOUBLE -> {
                    double d = Double.parseDouble(v);
                    if (Double.isNaN(d)) {
                        throw new IllegalArgumentException();
                    }
                    yield d;
                }
                case BOOLEAN -> {
                    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                        throw new IllegalArgumentException();
                    }
                    yield Boolean.parseBoolean(v);
                }
                case STRING -> v;
                case LIST -> list(v);
            };
        } catch (IllegalArgumentException e) {
            throw new ServerConfigException("Invalid value '" + raw + "' for configuration " + key + ": expected "
                    + describe());
        }
    }

    private static List<String> list(String v) {
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** How the type is named in error messages. */
    public String describe() {
        return switch (this) {
            case INT -> "a 32-bit integer";
            case LONG -> "a 64-bit integer";
            case DOUBLE -> "a number";
            case BOOLEAN -> "true or false";
            case STRING -> "a string";
            case LIST -> "a comma-separated list";
        };
    }
}
