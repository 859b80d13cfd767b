package io.runnel.broker.txn;

import org.apache.kafka.common.protocol.Errors;

/**
 * The answer to InitProducerId with a transactional id.
 *
 * @param error         NONE, or INVALID_TRANSACTION_TIMEOUT, NOT_COORDINATOR, CONCURRENT_TRANSACTIONS,
 *                      PRODUCER_FENCED, COORDINATOR_NOT_AVAILABLE
 * @param producerId    the producer id, -1 on error
 * @param producerEpoch its epoch, -1 on error
 */
public record InitProducerIdResult(Errors error, long producerId, short producerEpoch) {
    /** A failure. */
    public static InitProducerIdResult error(Errors error) {
        return new InitProducerIdResult(error, -1L, (short) -1);
    }
}
