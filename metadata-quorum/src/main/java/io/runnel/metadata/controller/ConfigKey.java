package io.runnel.metadata.controller;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One dynamic config key Kafka defines, with the checks its {@code ConfigDef} applies to values: a type ({@link Type})
 * and, for numbers, an inclusive range; for strings and lists, the allowed values (empty = any). Immutable.
 */
public record ConfigKey(String name, Type type, double min, double max, Set<String> allowed) {
    /** Kafka's ConfigDef.Type subset used by topic and broker configs. */
    public enum Type { INT, LONG, DOUBLE, BOOLEAN, STRING, LIST }

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        allowed = Set.copyOf(allowed);
    }

    static ConfigKey number(String name, Type type, double min, double max) {
        return new ConfigKey(name, type, min, max, Set.of());
    }

    static ConfigKey atLeast(String name, Type type, double min) {
        return number(name, type, min, Double.POSITIVE_INFINITY);
    }

    static ConfigKey bool(String name) {
        return new ConfigKey(name, Type.BOOLEAN, 0, 0, Set.of());
    }

    static ConfigKey oneOf(String name, Type type, String... values) {
        return new ConfigKey(name, type, 0, 0, Set.of(values));
    }

    /** Why {@code value} is not valid for this key (Kafka's wording), or null when it is. */
    public String invalidReason(String value) {
        if (value == null) {
            return "Invalid value null for configuration " + name;
        }
        String v = value.trim();
        switch (type) {
            case INT, LONG, DOUBLE -> {
                double d;
                try {
                    d = type == Type.INT ? Integer.parseInt(v) : type == Type.LONG ? Long.parseLong(v)
                            : Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    return "Invalid value " + value + " for configuration " + name + ": Not a number of type "
                            + type;
                }
                if (d < min || d > max || Double.isNaN(d)) {
                    return "Invalid value " + value + " for configuration " + name + ": Value must be "
                            + (max == Double.POSITIVE_INFINITY ? "at least " + format(min)
                            : "in the range [" + format(min) + ", " + format(max) + "]");
                }
                return null;
            }
            case BOOLEAN -> {
                String l = v.toLowerCase(Locale.ROOT);
                return l.equals("true") || l.equals("false") ? null : "Invalid value " + value
                        + " for configuration " + name + ": Expected value to be either true or false";
            }
            case STRING -> {
                return allowed.isEmpty() || allowed.contains(v) ? null : "Invalid value " + value
                        + " for configuration " + name + ": String must be one of: " + String.join(", ",
                        allowed.stream().sorted().toList());
            }
            case LIST -> {
                for (String item : items(v)) {
                    if (!allowed.isEmpty() && !allowed.contains(item)) {
                        return "Invalid value " + item + " for configuration " + name
                                + ": String must be one of: " + String.join(", ", allowed.stream().sorted().toList());
                    }
                }
                return null;
            }
            default -> throw new IllegalStateException("type " + type);
        }
    }

    /** The items of a comma-separated list value, trimmed, empty items dropped. */
    public static List<String> items(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String format(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
