package io.runnel.broker.config;

/** A server configuration that cannot be used: the message names the key, the value and what was expected. */
public final class ServerConfigException extends IllegalArgumentException {
    /** @param message one line a user can act on */
    public ServerConfigException(String message) {
        super(message);
    }
}
