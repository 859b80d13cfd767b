package io.runnel.jepsen.history;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One micro-operation of a {@link Op.F#TXN} entry (the txn workload: one Kafka transaction of a few micro-ops), as
 * Jepsen's {@code [:send k v]} / {@code [:poll]} micro-ops.
 *
 * <ul>
 *   <li>{@code send}: {@code partition} (Jepsen's key) and {@code value} (unique per partition over the run) on every
 *       entry; {@code offset} from the send's RecordMetadata, on an {@code ok} transaction only (else -1).</li>
 *   <li>{@code poll}: {@code reads}, partition -> the records one short poll of the worker's read_committed consumer
 *       returned, in order; filled on an {@code ok} transaction only (empty on the invocation and on fail/info).</li>
 * </ul>
 *
 * @param f         send or poll
 * @param partition the partition of a send, else -1
 * @param value     the value of a send, else -1
 * @param offset    the offset of a send of an ok transaction, else -1
 * @param reads     what a poll of an ok transaction returned, else empty
 */
public record Micro(F f, int partition, long value, long offset, Map<Integer, List<Op.Read>> reads) {

    /** The micro-op's function. */
    public enum F {
        /** {@code producer.send} inside the transaction. */
        SEND,
        /** One short {@code consumer.poll} inside the transaction. */
        POLL;

        /** Lower case, as the JSON history writes it. */
        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Micro {
        Objects.requireNonNull(f, "f");
        reads = reads == null ? Map.of() : Map.copyOf(reads);
    }

    /** A send of {@code value} to {@code partition} whose offset is not known (yet). */
    public static Micro send(int partition, long value) {
        return new Micro(F.SEND, partition, value, -1, null);
    }

    /** A send of a committed transaction, at {@code offset}. */
    public static Micro sendAt(int partition, long value, long offset) {
        return new Micro(F.SEND, partition, value, offset, null);
    }

    /** A poll whose result is not known (an invocation, or a transaction that did not commit). */
    public static Micro poll() {
        return new Micro(F.POLL, -1, -1, -1, null);
    }

    /** A poll of a committed transaction that returned {@code reads}. */
    public static Micro poll(Map<Integer, List<Op.Read>> reads) {
        return new Micro(F.POLL, -1, -1, -1, reads);
    }

    /** This micro-op as an invocation shows it: a send without its offset, a poll without its reads. */
    public Micro planned() {
        return f == F.SEND ? send(partition, value) : poll();
    }
}
