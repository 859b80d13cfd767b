package io.runnel.broker.producer;

/**
 * The content of a transaction marker (a control batch with one COMMIT or ABORT record; KIP-98, the protocol
 * guide's "Control Batches").
 *
 * @param commit           true for COMMIT, false for ABORT
 * @param coordinatorEpoch the coordinator epoch the marker was written with (Runnel: the transaction's state version
 *                         when its coordinator sent it)
 */
public record TxnMarker(boolean commit, int coordinatorEpoch) {
}
