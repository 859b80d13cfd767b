package io.runnel.metadata.controller;

import static io.runnel.metadata.controller.ControllerFixtures.apply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.image.ImageCodec;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.TransactionState;
import io.runnel.metadata.image.TxnState;
import io.runnel.metadata.record.TransactionRecord;
import io.runnel.metadata.rpc.WriteTransactionRequest;
import io.runnel.metadata.rpc.WriteTransactionResponse;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random sequences of WriteTransaction and TxnOffsetCommit decisions: every batch the controller emits replays, a
 * successful write bumps the version by one, ending an ONGOING transaction leaves none of its producer's pending
 * offsets in the groups it named, and the image survives a snapshot round trip.
 */
class TransactionProperties {
    @Property(tries = 200)
    void controllerDecisionsAlwaysReplayAndEndingATransactionSettlesItsOffsets(@ForAll long seed) throws Exception {
        Random random = new Random(seed);
        MetadataImage image = TransactionWritesTest.topics();
        List<String> groups = List.of("g0", "g1", "g2");
        for (int step = 0; step < 40; step++) {
            String id = "tx" + random.nextInt(2);
            long pid = 100 + id.charAt(2);
            TransactionState current = image.transactions().get(id);
            long version = current == null ? 0 : current.version();
            if (random.nextInt(3) == 0 && current != null) {
                String group = groups.get(random.nextInt(groups.size()));
                var req = TransactionWritesTest.txnCommit(group, pid, current.producerEpoch())
                        .setTransactionalId(id).addOffsets(TransactionWritesTest.offset(random.nextBoolean() ? "a"
                                : "b", random.nextInt(3), random.nextInt(100)));
                image = apply(image, TxnOffsetCommits.commit(image, req.build(), 4096).records());
                continue;
            }
            TxnState state = TxnState.values()[random.nextInt(TxnState.values().length)];
            TransactionRecord.Builder r = TransactionRecord.newBuilder().setTransactionalId(id).setProducerId(pid)
                    .setProducerEpoch(random.nextInt(2)).setLastProducerId(-1).setLastProducerEpoch(-1)
                    .setState(state.toProto()).setTxnStartMs(-1).setLastUpdateMs(step);
            for (String g : groups) {
                if (random.nextBoolean()) {
                    r.addGroups(g);
                }
            }
            long expected = random.nextInt(5) == 0 ? random.nextInt(4) : version;
            boolean remove = random.nextInt(8) == 0;
            ControllerResult<WriteTransactionResponse> res = TransactionWrites.write(image, WriteTransactionRequest
                    .newBuilder().setRecord(r).setExpectedVersion(expected).setRemove(remove).build());
            MetadataImage next = apply(image, res.records());
            if (expected != version) {
                assertEquals(ErrorCode.CONCURRENT_TRANSACTIONS.code(), res.response().getErrorCode());
                assertEquals(image, next.withProvenance(image.provenance()));
            } else if (remove) {
                assertFalse(next.transactions().containsKey(id));
                next.pendingTxnOffsets().values().forEach(p -> assertFalse(p.containsKey(pid)));
            } else {
                assertEquals(version + 1, next.transactions().get(id).version());
                assertEquals(version + 1, res.response().getVersion());
                if (current != null && current.state() == TxnState.ONGOING && state != TxnState.ONGOING
                        && state != TxnState.EMPTY && state != TxnState.DEAD) {
                    for (String g : state.name().contains("COMMIT") ? r.getGroupsList() : current.groups()) {
                        assertFalse(next.pendingTxnOffsets().getOrDefault(g, Map.of()).containsKey(pid),
                                state + " left pending offsets in " + g);
                    }
                }
            }
            image = next;
        }
        assertEquals(image, ImageCodec.fromBytes(ImageCodec.toBytes(image)));
        assertTrue(image.transactions().size() <= 2);
    }
}
