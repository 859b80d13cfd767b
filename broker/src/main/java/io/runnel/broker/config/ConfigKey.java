package io.runnel.broker.config;

/**
 * One server configuration key as Kafka names and defaults it.
 *
 * @param name         Kafka's key, e.g. {@code log.segment.bytes}
 * @param type         how its value parses
 * @param defaultValue Kafka's default as text, or null when the key has none (required or optional)
 * @param used         false for keys Kafka users carry in their files that Runnel accepts and ignores
 * @param doc          one line on meaning and unit
 */
public record ConfigKey(String name, ConfigType type, String defaultValue, boolean used, String doc) {
}
