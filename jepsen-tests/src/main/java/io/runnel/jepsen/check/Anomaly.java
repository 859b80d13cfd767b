package io.runnel.jepsen.check;

import java.util.List;

/**
 * One anomaly the checker found, with the history entries that show it.
 *
 * @param kind        what it is
 * @param partition   the partition (Jepsen's key) it concerns
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
        /** Acknowledged, not read by the final drain. */
        UNSEEN("unseen"),
        /** One value at two or more offsets. */
        DUPLICATE("duplicate"),
        /** One offset holding two or more values, across any two reads or acknowledgements. */
        INCONSISTENT_OFFSETS("inconsistent-offsets"),
        /** A consumer read an offset at or before one it had already read, within one assignment. */
        NONMONOTONIC_POLL("nonmonotonic-poll"),
        /** A consumer skipped over offsets that exist, within one assignment. */
        POLL_SKIP("poll-skip"),
        /** A producer's acknowledged offsets went backwards within one partition (one producer lifetime). */
        NONMONOTONIC_SEND("nonmonotonic-send");

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
