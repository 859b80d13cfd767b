package io.runnel.cli.transactions;

import io.runnel.cli.CliException;
import io.runnel.cli.client.BootstrapServers;
import io.runnel.cli.client.BrokerErrors;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.apache.kafka.common.protocol.Errors;

/**
 * Turns the failures of the {@code transactions} subcommands into one line for the user: what was being done (Kafka's
 * wording, e.g. {@code Failed to describe producers for partition t-0 on leader}), then the Kafka error's name and
 * message ({@code NOT_LEADER_OR_FOLLOWER: For requests intended only for the leader...}). Timeouts and unreachable
 * brokers are described by {@link BrokerErrors}. The original exception stays attached for {@code --verbose}.
 */
final class TransactionFailures {

    private TransactionFailures() {}

    /**
     * Waits for an Admin result.
     *
     * @param future the result
     * @param context what the call was doing, e.g. {@code Failed to list transactions}
     * @param servers the bootstrap list, for timeout messages
     * @return the result's value
     * @throws CliException when the call failed (exit 1)
     */
    static <T> T await(KafkaFuture<T> future, String context, BootstrapServers servers) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", e);
        } catch (ExecutionException e) {
            throw describe(context, e, servers);
        }
    }

    /**
     * @param context what was being done, or null for none
     * @param failure what the client threw (execution wrappers are looked through)
     * @param servers the bootstrap list
     * @return one line: {@code <context>: <ERROR_NAME>: <message>}
     */
    static CliException describe(String context, Throwable failure, BootstrapServers servers) {
        Throwable cause = unwrap(failure);
        if (cause instanceof CliException cli && context == null) {
            return cli;
        }
        String detail;
        if (cause instanceof ApiException api && !(cause instanceof TimeoutException)) {
            detail = errorName(api) + ": " + message(api);
        } else {
            detail = BrokerErrors.describe(cause, servers).getMessage();
        }
        return new CliException(context == null ? detail : context + ": " + detail, cause);
    }

    /** Kafka's error code name for the exception ({@code UNKNOWN_SERVER_ERROR} only for that error itself). */
    static String errorName(ApiException e) {
        Errors error = Errors.forException(e);
        if (error == Errors.UNKNOWN_SERVER_ERROR && !(e instanceof UnknownServerException)) {
            return e.getClass().getSimpleName();
        }
        return error.name();
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return Errors.forException(t).message();
        }
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip();
    }
}
