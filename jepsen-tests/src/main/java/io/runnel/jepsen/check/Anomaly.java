package io.runnel.jepsen.check;

import java.util.List;

/**
 * One anomaly the checker found, with the history entries that show it.
 *
 * @param kind        what it is
 * @param partition   the partition (Jepsen's key) it concerns; for the kv workload the key's partition (the
 *                    description names the key)
 * @param description one line for people, e.g. {@code value 42 acknowledged at offset 17 was never read; offset 18 was}
 * @param opIndexes   indexes ({@link io.runnel.jepsen.history.Op#index()}) of the entries that show it
 */
public record Anomaly(Kind kind, int partition, String description, List<Long> opIndexes) {
    public Anomaly {
        opIndexes = List.copyOf(opIndexes);
    }

    /** The anomaly kinds, with Jepsen's names (as {@code results.json} writes them). */
    public enum Kind {
        /** Acknowledged, never read by anyone, while a later offset of its partition was read. */
        LOST_WRITE("lost-write"),
        /**
         * Acknowledged, not read by the final drain (kv: a key's latest acknowledged version that no read ever saw,
         * nor anything newer, when the final drain did not complete).
         */
        UNSEEN("unseen"),
        /** One value at two or more offsets (kv: one key's version). */
        DUPLICATE("duplicate"),
        /** One offset holding two or more values, across any two reads or acknowledgements. */
        INCONSISTENT_OFFSETS("inconsistent-offsets"),
        /** A consumer read an offset at or before one it had already read, within one assignment. */
        NONMONOTONIC_POLL("nonmonotonic-poll"),
        /** A consumer skipped over offsets that exist, within one assignment. */
        POLL_SKIP("poll-skip"),
        /** A producer's acknowledged offsets went backwards within one partition (one producer lifetime). */
        NONMONOTONIC_SEND("nonmonotonic-send"),
        /**
         * kv: a key's acknowledged version is newer than the final drain's latest version of that key (or the key is
         * gone), and that older version cannot have been written after it.
         */
        LOST_UPDATE("lost-update"),
        /**
         * kv: a key's version went backwards: at a later offset within one read pass, between one reader's
         * successive passes, or from any pass to the final drain.
         */
        VERSION_REGRESSION("version-regression"),
        /**
         * kv: a read returned a version whose write failed (certainly not written) or that no write wrote; txn (G1a):
         * a poll or drain returned a value whose transaction failed (aborted, or certainly not committed) or that no
         * transaction sent.
         */
        ABORTED_READ("aborted-read"),
        /** txn: a cycle of committed transactions whose edges are all ww (write order inferred from offsets). */
        G0("G0"),
        /** txn: a cycle of committed transactions with at least one wr edge (and inferred ww edges). */
        G1C("G1c"),
        /** txn: a cycle of committed transactions made of wr edges alone (each read another's committed write). */
        G1C_WR("G1c-wr");

        /** The kinds the queue workload's checker reports, in report order. */
        public static final java.util.Set<Kind> QUEUE = java.util.Collections.unmodifiableSet(java.util.EnumSet.of(
                LOST_WRITE, UNSEEN, DUPLICATE, INCONSISTENT_OFFSETS, NONMONOTONIC_POLL, POLL_SKIP,
                NONMONOTONIC_SEND));
        /** The kinds the kv workload's checker reports, in report order. */
        public static final java.util.Set<Kind> KV = java.util.Collections.unmodifiableSet(java.util.EnumSet.of(
                UNSEEN, DUPLICATE, INCONSISTENT_OFFSETS, LOST_UPDATE, VERSION_REGRESSION, ABORTED_READ));
        /** The kinds the txn workload's checker reports, in report order. */
        public static final java.util.Set<Kind> TXN = java.util.Collections.unmodifiableSet(java.util.EnumSet.of(
                LOST_WRITE, UNSEEN, DUPLICATE, INCONSISTENT_OFFSETS, NONMONOTONIC_POLL, POLL_SKIP, ABORTED_READ,
                G0, G1C, G1C_WR));

        private final String jsonName;

        Kind(String jsonName) {
            this.jsonName = jsonName;
        }

        /** The name used in results.json and the summary. */
        public String jsonName() {
            return jsonName;
        }
    }
}
