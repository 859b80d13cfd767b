package io.runnel.metadata.image;

import io.runnel.metadata.record.TransactionStateCode;
import java.util.Locale;

/**
 * The state of one transactional id, as Kafka's transaction coordinator names it (KIP-98; KIP-588 for
 * PrepareEpochFence). Each constant maps 1:1 onto {@link TransactionStateCode} in the metadata log, whose number is
 * Kafka's state id plus one.
 */
public enum TxnState {
    EMPTY("Empty", TransactionStateCode.TRANSACTION_STATE_EMPTY),
    ONGOING("Ongoing", TransactionStateCode.TRANSACTION_STATE_ONGOING),
    PREPARE_COMMIT("PrepareCommit", TransactionStateCode.TRANSACTION_STATE_PREPARE_COMMIT),
    PREPARE_ABORT("PrepareAbort", TransactionStateCode.TRANSACTION_STATE_PREPARE_ABORT),
    COMPLETE_COMMIT("CompleteCommit", TransactionStateCode.TRANSACTION_STATE_COMPLETE_COMMIT),
    COMPLETE_ABORT("CompleteAbort", TransactionStateCode.TRANSACTION_STATE_COMPLETE_ABORT),
    DEAD("Dead", TransactionStateCode.TRANSACTION_STATE_DEAD),
    PREPARE_EPOCH_FENCE("PrepareEpochFence", TransactionStateCode.TRANSACTION_STATE_PREPARE_EPOCH_FENCE);

    private final String kafkaName;
    private final TransactionStateCode code;

    TxnState(String kafkaName, TransactionStateCode code) {
        this.kafkaName = kafkaName;
        this.code = code;
    }

    /** Kafka's display name, e.g. {@code "PrepareCommit"} (what DescribeTransactions and ListTransactions show). */
    public String kafkaName() {
        return kafkaName;
    }

    /** The protobuf code written to the metadata log. */
    public TransactionStateCode toProto() {
        return code;
    }

    /** The state of a protobuf code; null for TRANSACTION_STATE_UNKNOWN and unrecognized values. */
    public static TxnState fromProto(TransactionStateCode code) {
        for (TxnState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return null;
    }

    /** The state with Kafka's display name {@code name}, compared case-insensitively; null if unknown or null. */
    public static TxnState fromKafkaName(String name) {
        if (name == null) {
            return null;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (TxnState s : values()) {
            if (s.kafkaName.toLowerCase(Locale.ROOT).equals(lower)) {
                return s;
            }
        }
        return null;
    }
}
