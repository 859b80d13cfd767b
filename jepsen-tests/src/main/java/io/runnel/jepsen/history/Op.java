package io.runnel.jepsen.history;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of a run's history, in the shape of Jepsen's operations: a worker process first records an
 * {@link Type#INVOKE} and then exactly one completion ({@link Type#OK}, {@link Type#FAIL} or {@link Type#INFO}) with
 * the same {@code process} and {@code f}. {@link F#REBALANCE} is the one exception: a completion-only {@code ok}
 * entry (a subscribe consumer was handed a new assignment).
 *
 * <p>Fields by function (unused ones are -1, empty or null):
 * <ul>
 *   <li>{@code send}: {@code partition} and {@code value} (unique per partition) on every entry; {@code offset} is the
 *       offset the broker acknowledged, on {@code ok} only.</li>
 *   <li>{@code poll} and {@code drain} (the final read of every partition from offset 0): {@code reads}, partition
 *       -> the records returned in order, on {@code ok} only.</li>
 *   <li>{@code assign}, {@code subscribe}, {@code rebalance}: {@code partitions}, the consumer's assignment after
 *       the operation (for {@code subscribe}, the partitions it asked for; the assignment follows as
 *       {@code rebalance}).</li>
 *   <li>{@code crash}: the client was closed and a new one opened (new producer id, or a consumer that starts
 *       over).</li>
 *   <li>{@code write} (the kv workload): {@code partition}, {@code key} and {@code value} (the key's version,
 *       strictly increasing per key over the run) on every entry; {@code offset} on {@code ok} only.</li>
 *   <li>{@code read} (the kv workload: one full pass over the topic, from offset 0 to the end offsets taken when the
 *       pass started) and the kv workload's {@code drain}: {@code reads}, partition -> the records in offset order,
 *       each with its key, on {@code ok} only.</li>
 *   <li>{@code txn} (the txn workload: one Kafka transaction): {@code txn}, its micro-ops in order ({@link Micro}),
 *       on the invocation (sends with their values, polls empty) and on the completion (ok: send offsets and poll
 *       reads filled in; fail/info: as invoked); {@code aborted} true on a {@code fail} whose transaction the worker
 *       aborted on purpose.</li>
 * </ul>
 *
 * @param index    position in the history, from 0, dense
 * @param time     nanoseconds since the run's start (monotonic clock)
 * @param process  the worker: one process number per client instance lifetime is not required; one per thread is
 * @param type     invoke or a completion
 * @param f        the function
 * @param partition the partition of a send, else -1
 * @param value    the value of a send, else -1
 * @param offset   the acknowledged offset of an ok send, else -1
 * @param reads    what a poll or drain returned, partition -> records, else empty
 * @param partitions the assignment of assign/subscribe/rebalance, else empty
 * @param error    why a fail or info happened (exception class and message), else null
 * @param key      the key of a kv {@code write} (a small integer, written to Kafka as {@code "k<key>"}), else -1
 * @param txn      the micro-ops of a {@code txn} entry, else empty
 * @param aborted  true on a {@code txn} fail the worker caused itself with {@code abortTransaction()}
 */
public record Op(long index, long time, int process, Type type, F f, int partition, long value, long offset,
                 Map<Integer, List<Read>> reads, List<Integer> partitions, String error, int key, List<Micro> txn,
                 boolean aborted) {

    /** Invocation or completion, as Jepsen's {@code :type}. */
    public enum Type {
        /** The operation was started. */
        INVOKE,
        /** It happened. */
        OK,
        /** It certainly did not happen. */
        FAIL,
        /** The outcome is unknown (a timeout, a lost connection): it may or may not have happened. */
        INFO;

        /** Lower case, as the JSON history writes it. */
        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The function, as Jepsen's {@code :f}. */
    public enum F {
        SEND, POLL, ASSIGN, SUBSCRIBE, REBALANCE, CRASH, DRAIN,
        /** kv workload: one key's next version. */
        WRITE,
        /** kv workload: one full pass over the topic. */
        READ,
        /** txn workload: one transaction of micro-ops ({@link Micro}). */
        TXN;

        /** Lower case, as the JSON history writes it. */
        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One record a poll, read or drain returned.
     *
     * @param offset its offset in the partition
     * @param value  its value (the integer a send wrote; a kv write's version)
     * @param key    its key for the kv workload ({@code "k<key>"} in Kafka), else -1
     */
    public record Read(long offset, long value, int key) {
        /** A record without a key (the queue workload). */
        public Read(long offset, long value) {
            this(offset, value, -1);
        }
    }

    public Op {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(f, "f");
        reads = reads == null ? Map.of() : Map.copyOf(reads);
        partitions = partitions == null ? List.of() : List.copyOf(partitions);
        txn = txn == null ? List.of() : List.copyOf(txn);
    }

    /** An entry that is not a transaction. */
    public Op(long index, long time, int process, Type type, F f, int partition, long value, long offset,
              Map<Integer, List<Read>> reads, List<Integer> partitions, String error, int key) {
        this(index, time, process, type, f, partition, value, offset, reads, partitions, error, key, null, false);
    }

    /** An entry without a key (every function but the kv workload's {@code write}). */
    public Op(long index, long time, int process, Type type, F f, int partition, long value, long offset,
              Map<Integer, List<Read>> reads, List<Integer> partitions, String error) {
        this(index, time, process, type, f, partition, value, offset, reads, partitions, error, -1);
    }

    /** True for ok, fail and info. */
    public boolean isCompletion() {
        return type != Type.INVOKE;
    }

    /** This entry with another index and time (the recorder assigns both). */
    public Op at(long newIndex, long newTime) {
        return new Op(newIndex, newTime, process, type, f, partition, value, offset, reads, partitions, error, key,
                txn, aborted);
    }

    /** A send invocation (index and time are set when recorded). */
    public static Op sendInvoke(int process, int partition, long value) {
        return new Op(-1, -1, process, Type.INVOKE, F.SEND, partition, value, -1, null, null, null);
    }

    /** An acknowledged send. */
    public static Op sendOk(int process, int partition, long value, long offset) {
        return new Op(-1, -1, process, Type.OK, F.SEND, partition, value, offset, null, null, null);
    }

    /** A send that failed ({@code FAIL}) or whose outcome is unknown ({@code INFO}). */
    public static Op sendError(int process, Type type, int partition, long value, String error) {
        return new Op(-1, -1, process, type, F.SEND, partition, value, -1, null, null, error);
    }

    /** An invocation of poll, drain, assign, subscribe or crash. */
    public static Op invoke(int process, F f) {
        return new Op(-1, -1, process, Type.INVOKE, f, -1, -1, -1, null, null, null);
    }

    /** A poll or drain that returned {@code reads}. */
    public static Op readOk(int process, F f, Map<Integer, List<Read>> reads) {
        return new Op(-1, -1, process, Type.OK, f, -1, -1, -1, reads, null, null);
    }

    /** An assign, subscribe or rebalance that left the consumer with {@code partitions}. */
    public static Op assignmentOk(int process, F f, List<Integer> partitions) {
        return new Op(-1, -1, process, Type.OK, f, -1, -1, -1, null, partitions, null);
    }

    /** An ok completion with no payload (crash). */
    public static Op ok(int process, F f) {
        return new Op(-1, -1, process, Type.OK, f, -1, -1, -1, null, null, null);
    }

    /** A fail or info completion of a non-send function. */
    public static Op error(int process, Type type, F f, String error) {
        return new Op(-1, -1, process, type, f, -1, -1, -1, null, null, error);
    }

    /** A kv write invocation: {@code key} (in {@code partition}) to {@code version}. */
    public static Op writeInvoke(int process, int partition, int key, long version) {
        return new Op(-1, -1, process, Type.INVOKE, F.WRITE, partition, version, -1, null, null, null, key);
    }

    /** An acknowledged kv write, at {@code offset}. */
    public static Op writeOk(int process, int partition, int key, long version, long offset) {
        return new Op(-1, -1, process, Type.OK, F.WRITE, partition, version, offset, null, null, null, key);
    }

    /** A kv write that failed ({@code FAIL}) or whose outcome is unknown ({@code INFO}). */
    public static Op writeError(int process, Type type, int partition, int key, long version, String error) {
        return new Op(-1, -1, process, type, F.WRITE, partition, version, -1, null, null, error, key);
    }

    /** A transaction invocation with its planned micro-ops ({@link Micro#planned()}). */
    public static Op txnInvoke(int process, List<Micro> micros) {
        return new Op(-1, -1, process, Type.INVOKE, F.TXN, -1, -1, -1, null, null, null, -1, micros, false);
    }

    /** A committed transaction: its micro-ops with send offsets and poll reads. */
    public static Op txnOk(int process, List<Micro> micros) {
        return new Op(-1, -1, process, Type.OK, F.TXN, -1, -1, -1, null, null, null, -1, micros, false);
    }

    /**
     * A transaction that did not commit ({@code FAIL}) or whose outcome is unknown ({@code INFO}).
     *
     * @param aborted true when the worker aborted it on purpose (then {@code type} is FAIL)
     */
    public static Op txnError(int process, Type type, List<Micro> micros, String error, boolean aborted) {
        return new Op(-1, -1, process, type, F.TXN, -1, -1, -1, null, null, error, -1, micros, aborted);
    }
}
