package io.runnel.broker.producer;

/**
 * A transaction of one producer on one partition that a marker just closed (KIP-98).
 *
 * @param producerId  the producer
 * @param firstOffset offset of the transaction's first batch on this partition
 * @param lastOffset  offset of the marker
 * @param aborted     true for an ABORT marker, false for COMMIT
 */
public record CompletedTxn(long producerId, long firstOffset, long lastOffset, boolean aborted) {
}
