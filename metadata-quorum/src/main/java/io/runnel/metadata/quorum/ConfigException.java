package io.runnel.metadata.quorum;

/** A configuration key is missing or malformed (Kafka's ConfigException): the message names the key and value. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
