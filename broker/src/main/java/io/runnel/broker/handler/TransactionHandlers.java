package io.runnel.broker.handler;

import io.runnel.broker.group.GroupCoordinator;
import io.runnel.broker.replica.ReplicaManager;
import io.runnel.broker.txn.TransactionServices;

import io.runnel.metadata.image.MetadataImage;

import java.util.List;
import java.util.function.Supplier;

/**
 * The handlers of the transaction APIs (KIP-98, KIP-664): AddPartitionsToTxn, AddOffsetsToTxn, EndTxn,
 * WriteTxnMarkers, TxnOffsetCommit, DescribeTransactions, ListTransactions and DescribeProducers. InitProducerId is
 * built with the broker's other handlers (it also serves idempotent producers).
 */
public final class TransactionHandlers {
    private TransactionHandlers() {
    }

    /** @param image this broker's current metadata image */
    public static List<ApiHandler> create(TransactionServices txns, GroupCoordinator groups,
                                          ReplicaManager replicas, Supplier<MetadataImage> image) {
        return List.of(
                new AddPartitionsToTxnHandler(txns.coordinator(), image),
                new AddOffsetsToTxnHandler(txns.coordinator()),
                new EndTxnHandler(txns.coordinator()),
                new WriteTxnMarkersHandler(replicas),
                new TxnOffsetCommitHandler(groups, txns.offsetCommits(), txns.groupAdds()),
                new DescribeTransactionsHandler(txns.coordinator()),
                new ListTransactionsHandler(txns.coordinator(), System::currentTimeMillis),
                new DescribeProducersHandler(replicas));
    }
}
