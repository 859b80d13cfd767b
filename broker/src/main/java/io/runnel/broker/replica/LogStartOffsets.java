package io.runnel.broker.replica;

import io.runnel.log.LogException;
import io.runnel.log.PartitionLog;
import org.apache.kafka.common.protocol.Errors;

/**
 * Moving a partition's log start offset for DeleteRecords (key 21, KIP-107): on the leader at a client's request
 * ({@link #deleteAsLeader}), and on a follower up to the leader's log start offset, which every Fetch response
 * carries ({@link #followLeader}). Offsets below the log start offset are no longer readable (a fetch there gets
 * OFFSET_OUT_OF_RANGE, ListOffsets -2 answers the new start); segments wholly below it are deleted at once, the one
 * holding it stays until retention removes it. Both run under the partition's append lock, so a role change cannot
 * interleave. Stateless.
 */
final class LogStartOffsets {
    private LogStartOffsets() {
    }

    /**
     * As the leader, deletes the records before {@code offset} ({@link PartitionLog#deleteRecordsBefore}); an
     * offset at or below the current log start offset changes nothing and succeeds.
     *
     * @param offset the first offset to keep; -1 means the high watermark
     * @return NONE with the offset used (the low watermark is left to the caller), or NOT_LEADER_OR_FOLLOWER (6),
     *         POLICY_VIOLATION (44) for a topic whose {@code cleanup.policy} lacks {@code delete}, OFFSET_OUT_OF_RANGE
     *         (1) for an offset above the high watermark or below -1, KAFKA_STORAGE_ERROR (56)
     */
    static DeleteRecordsPartitionResult deleteAsLeader(Partition p, long offset) {
        synchronized (p.appendLock()) {
            if (!p.isLeader()) {
                return DeleteRecordsPartitionResult.error(Errors.NOT_LEADER_OR_FOLLOWER, "this broker is not the"
                        + " leader of " + p.topicPartition() + " (leader " + p.state().leader() + ")");
            }
            PartitionLog log = p.log();
            if (!log.config().cleanupPolicy().delete()) {
                return DeleteRecordsPartitionResult.error(Errors.POLICY_VIOLATION, "records of " + p.topicPartition()
                        + " cannot be deleted: its cleanup.policy is " + log.config().cleanupPolicy());
            }
            long hw = log.highWatermark();
            long target = offset == -1 ? hw : offset;
            if (target < 0 || target > hw) {
                return DeleteRecordsPartitionResult.error(Errors.OFFSET_OUT_OF_RANGE, "cannot delete the records of "
                        + p.topicPartition() + " before offset " + offset + ": it must be -1 (the high watermark)"
                        + " or between 0 and the high watermark " + hw);
            }
            try {
                log.deleteRecordsBefore(target);
            } catch (LogException e) {
                return DeleteRecordsPartitionResult.error(Errors.forCode(e.error().code()), e.getMessage());
            }
            return new DeleteRecordsPartitionResult(Errors.NONE, null, target, -1L);
        }
    }

    /**
     * As a follower of {@code leaderEpoch}, raises the log start offset to the leader's {@code leaderLogStartOffset},
     * bounded by the local high watermark (a follower never drops records it has not seen committed); never lowers it.
     *
     * @return true when the log start offset moved; false when it did not, or this broker no longer follows at
     *         that epoch
     * @throws LogException KAFKA_STORAGE_ERROR when segments cannot be deleted
     */
    static boolean followLeader(Partition p, long leaderLogStartOffset, int leaderEpoch) {
        synchronized (p.appendLock()) {
            if (!p.follows(leaderEpoch)) {
                return false;
            }
            PartitionLog log = p.log();
            long target = Math.min(leaderLogStartOffset, log.highWatermark());
            if (target <= log.logStartOffset()) {
                return false;
            }
            log.deleteRecordsBefore(target);
            return true;
        }
    }
}
