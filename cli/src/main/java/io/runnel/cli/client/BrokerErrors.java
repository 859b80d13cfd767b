package io.runnel.cli.client;

import io.runnel.cli.CliException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns what kafka-clients throw into one line for the user. Broker errors keep Kafka's own message (e.g.
 * {@code Topic 'x' already exists.}); a timeout becomes {@code cannot reach broker at HOST:PORT} when no bootstrap
 * address accepts a TCP connection, or names the timeout otherwise; the original exception stays attached as the
 * cause for {@code --verbose}.
 */
public final class BrokerErrors {

    private BrokerErrors() {}

    /**
     * @param failure what a client call threw (wrappers such as {@link ExecutionException} are looked through)
     * @param servers the bootstrap list the client used
     * @return a {@link CliException} with one line describing the failure
     */
    public static CliException describe(Throwable failure, BootstrapServers servers) {
        Throwable cause = unwrap(failure);
        if (cause instanceof CliException cli) {
            return cli;
        }
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new CliException("interrupted", cause);
        }
        if (cause instanceof org.apache.kafka.common.errors.TimeoutException
                || cause instanceof java.util.concurrent.TimeoutException) {
            if (!BrokerProbe.reachable(servers, ClientDefaults.CONNECT_TIMEOUT_MS)) {
                return new CliException("cannot reach broker at " + servers, cause);
            }
            return new CliException("timed out talking to the broker at " + servers + ": " + message(cause), cause);
        }
        if (cause instanceof org.apache.kafka.common.KafkaException && cause.getCause() != null
                && message(cause).startsWith("Failed to construct")) {
            return new CliException(message(cause) + ": " + message(unwrap(cause.getCause())), cause);
        }
        return new CliException(message(cause), cause);
    }

    /** The innermost meaningful exception: unwraps execution wrappers and message-less wrappers. */
    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t
                && (t instanceof ExecutionException || t instanceof CompletionException
                        || t.getMessage() == null || t.getMessage().isBlank())) {
            t = t.getCause();
        }
        return t;
    }

    /** The exception's message collapsed to one line, or its class's simple name when it has none. */
    static String message(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip();
    }
}
