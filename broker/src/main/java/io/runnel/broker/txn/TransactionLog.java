package io.runnel.broker.txn;

import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.rpc.CommitOffsetsResponse;
import io.runnel.metadata.rpc.TxnOffsetCommitRequest;
import io.runnel.metadata.rpc.WriteTransactionRequest;
import io.runnel.metadata.rpc.WriteTransactionResponse;

import java.util.concurrent.CompletableFuture;

/**
 * Where transaction state is written: the metadata log, through the active controller (Runnel keeps it there
 * instead of Kafka's {@code __transaction_state} topic, as it keeps committed offsets). Each call is one Ratis
 * entry; a call that fails as a whole (no controller within the request timeout) completes exceptionally, and then
 * it may or may not have been written.
 */
public interface TransactionLog {
    /** Compare-and-set of one transactional id's state; CONCURRENT_TRANSACTIONS (51) when the version moved. */
    CompletableFuture<WriteTransactionResponse> write(WriteTransactionRequest request);

    /** Pending offsets of an ongoing transaction (TxnOffsetCommit). */
    CompletableFuture<CommitOffsetsResponse> commitOffsets(TxnOffsetCommitRequest request);

    /** The metadata log reached through {@code controller} (which the caller owns and closes). */
    static TransactionLog of(ControllerClient controller) {
        return new TransactionLog() {
            @Override
            public CompletableFuture<WriteTransactionResponse> write(WriteTransactionRequest request) {
                return controller.writeTransaction(request);
            }

            @Override
            public CompletableFuture<CommitOffsetsResponse> commitOffsets(TxnOffsetCommitRequest request) {
                return controller.txnOffsetCommit(request);
            }
        };
    }
}
