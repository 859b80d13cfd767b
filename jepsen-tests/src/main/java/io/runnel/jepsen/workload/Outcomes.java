package io.runnel.jepsen.workload;

import io.runnel.jepsen.history.Op;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Whether an error proves an operation did not happen ({@code fail}) or leaves it unknown ({@code info}), as
 * ../shared/DESIGN.md section 9 lists: {@code fail} only for errors raised before anything could be written
 * (unknown topic, authorization, a record too large, serialization); {@code info} for everything else, timeouts,
 * disconnects and NOT_LEADER_OR_FOLLOWER included (the broker may have appended before it answered; KAFKA-13574).
 */
public final class Outcomes {
    private Outcomes() {
    }

    /** FAIL or INFO for {@code error} (the cause of an ExecutionException, or a client exception). */
    public static Op.Type classify(Throwable error) {
        Throwable e = error;
        while (e instanceof java.util.concurrent.ExecutionException && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof UnknownTopicOrPartitionException || e instanceof AuthorizationException
                || e instanceof RecordTooLargeException || e instanceof SerializationException
                || e instanceof InvalidTopicException) {
            return Op.Type.FAIL;
        }
        return Op.Type.INFO;
    }

    /**
     * FAIL or INFO for an error of {@code commitTransaction()} (the txn workload): FAIL when the producer was fenced
     * (ProducerFencedException, InvalidProducerEpochException: the coordinator bumped the epoch and aborts the open
     * transaction) or for what {@link #classify} calls certain; INFO for everything else (timeouts, disconnects,
     * unknown server errors: the EndTxn may have committed). Errors before {@code commitTransaction()} was called
     * need no classification: without an EndTxn(commit) the transaction can only be aborted, so they are FAIL.
     */
    public static Op.Type classifyCommit(Throwable error) {
        Throwable e = error;
        while ((e instanceof java.util.concurrent.ExecutionException
                || e.getClass() == org.apache.kafka.common.KafkaException.class) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof org.apache.kafka.common.errors.ProducerFencedException
                || e instanceof org.apache.kafka.common.errors.InvalidProducerEpochException) {
            return Op.Type.FAIL;
        }
        return classify(e);
    }

    /** The error as one short line: class simple name and message. */
    public static String describe(Throwable error) {
        Throwable e = error;
        while (e instanceof java.util.concurrent.ExecutionException && e.getCause() != null) {
            e = e.getCause();
        }
        String m = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
        String line = e.getClass().getSimpleName() + m;
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
