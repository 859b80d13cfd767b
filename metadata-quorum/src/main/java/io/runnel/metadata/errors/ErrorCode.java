package io.runnel.metadata.errors;

/**
 * The Kafka protocol error codes the metadata layer produces (a subset of Kafka's {@code Errors}; the numeric codes
 * are the wire values listed in the Kafka protocol guide). The broker maps them 1:1 onto kafka-clients' enum.
 */
public enum ErrorCode {
    NONE(0),
    UNKNOWN_SERVER_ERROR(-1),
    UNKNOWN_TOPIC_OR_PARTITION(3),
    NOT_LEADER_OR_FOLLOWER(6),
    REQUEST_TIMED_OUT(7),
    OFFSET_METADATA_TOO_LARGE(12),
    INVALID_TOPIC_EXCEPTION(17),
    INVALID_GROUP_ID(24),
    TOPIC_ALREADY_EXISTS(36),
    INVALID_PARTITIONS(37),
    INVALID_REPLICATION_FACTOR(38),
    INVALID_REPLICA_ASSIGNMENT(39),
    INVALID_CONFIG(40),
    NOT_CONTROLLER(41),
    INVALID_REQUEST(42),
    /** The producer's epoch is newer than the coordinator's (KIP-98). */
    INVALID_PRODUCER_EPOCH(47),
    /** The transaction is in a state that does not allow the operation (KIP-98). */
    INVALID_TXN_STATE(48),
    /** The producer id is not the one the transactional id maps to (KIP-98). */
    INVALID_PRODUCER_ID_MAPPING(49),
    /** Another write of the transactional id's state came first (compare-and-set failed; KIP-98). */
    CONCURRENT_TRANSACTIONS(51),
    GROUP_ID_NOT_FOUND(69),
    TOPIC_DELETION_DISABLED(73),
    FENCED_LEADER_EPOCH(74),
    PREFERRED_LEADER_NOT_AVAILABLE(80),
    ELIGIBLE_LEADERS_NOT_AVAILABLE(83),
    ELECTION_NOT_NEEDED(84),
    /** A newer producer with the same transactional id exists (KIP-588). */
    PRODUCER_FENCED(90),
    NO_REASSIGNMENT_IN_PROGRESS(85),
    STALE_BROKER_EPOCH(77),
    INVALID_UPDATE_VERSION(95),
    UNKNOWN_TOPIC_ID(100),
    DUPLICATE_BROKER_REGISTRATION(101),
    BROKER_ID_NOT_REGISTERED(102),
    INCONSISTENT_TOPIC_ID(103),
    INCONSISTENT_CLUSTER_ID(104),
    INELIGIBLE_REPLICA(107),
    /** AddRaftVoter of a node that already is a voter (KIP-853). */
    DUPLICATE_VOTER(126),
    /** RemoveRaftVoter of a node that is not a voter (KIP-853). */
    VOTER_NOT_FOUND(127);

    private final short code;

    ErrorCode(int code) {
        this.code = (short) code;
    }

    /** The wire value (int16). */
    public short code() {
        return code;
    }

    /** The constant for a wire value; {@link #UNKNOWN_SERVER_ERROR} for values this enum does not list. */
    public static ErrorCode forCode(int code) {
        for (ErrorCode e : values()) {
            if (e.code == code) {
                return e;
            }
        }
        return UNKNOWN_SERVER_ERROR;
    }
}
