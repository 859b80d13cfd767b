package io.runnel.broker.replica;

import io.runnel.log.AbortedTxn;
import io.runnel.metadata.image.TopicPartition;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13 acceptance: transactions on a real {@link Partition} (a {@code PartitionLog} in a temp dir with 600-byte
 * segments, so transactions and the {@code .txnindex} span segments; this broker the only ISR member, so the high
 * watermark is the log end offset). For random interleavings over a few
 * producer ids of plain batches (idempotent from a non-transactional producer, idempotent from a transactional
 * producer outside its transaction, or without a producer id), transactional batches (appended after
 * {@link Partition#markVerified}, as the coordinator's verification does; sometimes without it), COMMIT/ABORT
 * markers ({@link Partition#appendTxnMarker}, some of them fencing aborts with a bumped epoch), reopens (close and
 * {@link Partition#open} again) and follower truncations at batch boundaries, after every step:
 * <ol>
 *   <li>each append succeeds or fails exactly as KIP-98/KIP-890 say (a transactional batch starting a transaction
 *       unverified, or a plain batch from a producer with an open transaction: INVALID_TXN_STATE, nothing
 *       appended);</li>
 *   <li>a read_committed reader ({@link Partition#read} with readCommitted from offset 0 in a loop, dropping
 *       records of aborted transactions from the returned aborted-transaction list as Kafka's consumer does; whole
 *       reads after every step, one batch per fetch after reopens, truncations and at the end) sees exactly the
 *       committed records below the last stable offset, in offset order;</li>
 *   <li>the last stable offset is the first offset of the oldest open transaction, or the high watermark (= log end
 *       offset) when none is open;</li>
 *   <li>a reopen rebuilds the same aborted-transaction index ({@code .txnindex}) from the log.</li>
 * </ol>
 * A follower replica copying the leader's batches ({@link Partition#appendAsFollower}) ends every step with the
 * leader's last stable offset, aborted transactions and producer state.
 * The expectations come from a model replayed from the batches the log holds (so truncation simply forgets events).
 */
class TransactionalPartitionProperties {
    static final long NOW = 1_800_000_000_000L;
    static final TopicPartition TP = new TopicPartition("t", 0);
    static final UUID TOPIC_ID = UUID.randomUUID();
    /** Producers 0 and 1 are transactional, 2 is idempotent, 3 sends batches without a producer id. */
    static final long[] PIDS = {1000L, 1001L, 2000L, -1L};
    static final PartitionListener QUIET = new PartitionListener() {
        @Override
        public void onHighWatermarkAdvanced(TopicPartition tp) {
        }

        @Override
        public void onIsrChangeProposed(Partition partition, IsrProposal proposal) {
        }
    };
    static final PartitionSettings SETTINGS = PartitionSettings.DEFAULT.with(Map.of("segment.bytes", "600"));

    sealed interface Op permits Plain, Txn, Marker, Reopen, Truncate {
    }

    /** A non-transactional batch of {@code records} records from producer index {@code producer} (0..3). */
    record Plain(int producer, int records) implements Op {
    }

    /** A transactional batch; {@code verify}: the coordinator confirmed the partition first. */
    record Txn(int producer, int records, boolean verify) implements Op {
    }

    /** A transaction marker from the coordinator; {@code bump}: a fencing abort at the next producer epoch. */
    record Marker(int producer, boolean commit, boolean bump) implements Op {
    }

    record Reopen() implements Op {
    }

    /** Truncate as a follower to the start of the {@code choice}-th batch (modulo the batches held, or the end). */
    record Truncate(int choice) implements Op {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> txnProducer = Arbitraries.integers().between(0, 1);
        Arbitrary<Integer> records = Arbitraries.integers().between(1, 3);
        Arbitrary<Op> plain = Combinators.combine(Arbitraries.integers().between(0, 3), records).as(Plain::new);
        Arbitrary<Op> txn = Combinators.combine(txnProducer, records,
                Arbitraries.frequency(Tuple.of(6, true), Tuple.of(1, false))).as(Txn::new);
        Arbitrary<Op> marker = Combinators.combine(txnProducer, Arbitraries.of(true, false),
                Arbitraries.frequency(Tuple.of(5, false), Tuple.of(1, true)))
                .as((p, commit, bump) -> new Marker(p, commit, bump && !commit));
        Arbitrary<Op> reopen = Arbitraries.just(new Reopen());
        Arbitrary<Op> truncate = Arbitraries.integers().between(0, 40).map(Truncate::new);
        return Arbitraries.frequencyOf(Tuple.of(4, plain), Tuple.of(8, txn), Tuple.of(4, marker),
                Tuple.of(1, reopen), Tuple.of(1, truncate)).list().ofMinSize(1).ofMaxSize(30);
    }

    /** One batch in the log, as the model knows it. */
    record Event(long baseOffset, long lastOffset, long pid, short epoch, int baseSeq, boolean transactional,
                 boolean control, boolean commit, List<String> values) {
    }

    /** A record the reader sees. */
    record Seen(long offset, String value) {
    }

    /** The state the events imply. */
    static final class Model {
        final Map<Long, Short> epoch = new HashMap<>();
        final Map<Long, Integer> nextSeq = new HashMap<>();
        final Map<Long, Long> openFirst = new HashMap<>();
        final Map<Long, List<Seen>> openRecords = new HashMap<>();
        final List<Seen> committed = new ArrayList<>();
        long end;

        static Model of(List<Event> events) {
            Model m = new Model();
            for (Event e : events) {
                m.end = e.lastOffset() + 1;
                if (e.pid() < 0) {
                    m.addCommitted(e);
                    continue;
                }
                short current = m.epoch(e.pid());
                if (e.control()) {
                    Long first = m.openFirst.remove(e.pid());
                    List<Seen> recs = m.openRecords.remove(e.pid());
                    if (first != null && e.commit()) {
                        m.committed.addAll(recs);
                    }
                    if (e.epoch() > current) {
                        m.epoch.put(e.pid(), e.epoch());
                        m.nextSeq.put(e.pid(), 0);
                    }
                    continue;
                }
                m.epoch.put(e.pid(), e.epoch());
                m.nextSeq.put(e.pid(), e.baseSeq() + e.values().size());
                if (e.transactional()) {
                    m.openFirst.putIfAbsent(e.pid(), e.baseOffset());
                    List<Seen> recs = m.openRecords.computeIfAbsent(e.pid(), k -> new ArrayList<>());
                    for (int i = 0; i < e.values().size(); i++) {
                        recs.add(new Seen(e.baseOffset() + i, e.values().get(i)));
                    }
                } else {
                    m.addCommitted(e);
                }
            }
            m.committed.sort(Comparator.comparingLong(Seen::offset));
            return m;
        }

        private void addCommitted(Event e) {
            for (int i = 0; i < e.values().size(); i++) {
                committed.add(new Seen(e.baseOffset() + i, e.values().get(i)));
            }
        }

        short epoch(long pid) {
            return epoch.getOrDefault(pid, (short) 0);
        }

        int nextSeq(long pid) {
            return nextSeq.getOrDefault(pid, 0);
        }

        boolean open(long pid) {
            return openFirst.containsKey(pid);
        }

        long expectedLso() {
            return openFirst.values().stream().mapToLong(Long::longValue).min().orElse(end);
        }
    }

    /**
     * The leader under test (broker 1) and a follower (broker 2, never in the ISR, so the leader's high watermark is
     * its log end offset) that copies the leader's batches with {@link Partition#appendAsFollower}; how to reopen both
     * and truncate the leader.
     */
    static final class Harness implements AutoCloseable {
        final Path dir;
        Partition p;
        Partition follower;
        int leaderEpoch = 0;
        int partitionEpoch = 0;

        Harness(Path dir) {
            this.dir = dir;
            this.p = open();
            this.follower = openFollower();
        }

        private PartitionState leaderState() {
            return new PartitionState(List.of(1, 2), List.of(1), 1, leaderEpoch, partitionEpoch);
        }

        private Partition open() {
            return Partition.open(TP, TOPIC_ID, dir.resolve("leader"), 1, leaderState(), SETTINGS, 30_000L,
                    () -> NOW, QUIET);
        }

        private Partition openFollower() {
            return Partition.open(TP, TOPIC_ID, dir.resolve("follower"), 2, leaderState(), SETTINGS, 30_000L,
                    () -> NOW, QUIET);
        }

        void reopen() {
            p.close();
            p = open();
            follower.close();
            follower = openFollower();
        }

        /** The leader truncates as a follower of broker 2 would, then leads again; the follower follows. */
        void truncate(long offset) {
            leaderEpoch++;
            partitionEpoch++;
            p.applyState(new PartitionState(List.of(1, 2), List.of(1, 2), 2, leaderEpoch, partitionEpoch));
            assertTrue(p.truncateTo(offset, leaderEpoch));
            leaderEpoch++;
            partitionEpoch++;
            p.applyState(leaderState());
            follower.applyState(leaderState());
            assertTrue(follower.truncateTo(Math.min(offset, follower.logEndOffset()), leaderEpoch));
        }

        /** Copies the leader's batches the follower lacks, as replication would. */
        void replicate() {
            while (follower.logEndOffset() < p.logEndOffset()) {
                ByteBuffer bytes;
                try {
                    bytes = p.log().read(follower.logEndOffset(), 1 << 20, Long.MAX_VALUE).readAll();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
                assertTrue(follower.appendAsFollower(bytes, leaderEpoch) != null, "follower append");
            }
            follower.updateFollowerHighWatermark(p.highWatermark(), leaderEpoch);
        }

        @Override
        public void close() {
            p.close();
            follower.close();
        }
    }

    private static int counter;

    private static List<String> values(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("v" + (counter++));
        }
        return out;
    }

    private static SimpleRecord[] simple(List<String> values) {
        return values.stream().map(v -> new SimpleRecord(NOW, null, v.getBytes(StandardCharsets.UTF_8)))
                .toArray(SimpleRecord[]::new);
    }

    @Property(tries = 40)
    void readCommittedSeesExactlyTheCommittedRecordsAndTheLsoStopsAtTheOldestOpenTransaction(
            @ForAll("ops") List<Op> ops) throws IOException {
        Path dir = tempDir();
        try (Harness h = new Harness(dir)) {
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                apply(h, events, op);
                check(h, events, op, i == ops.size() - 1 || op instanceof Reopen || op instanceof Truncate);
            }
        } finally {
            delete(dir);
        }
    }

    private static void apply(Harness h, List<Event> events, Op op) {
        Model m = Model.of(events);
        Partition p = h.p;
        long leo = p.logEndOffset();
        if (op instanceof Plain plain) {
                long pid = PIDS[plain.producer()];
                List<String> vals = values(plain.records());
                ByteBuffer batch;
                short epoch = m.epoch(pid);
                int seq = m.nextSeq(pid);
                if (pid < 0) {
                    batch = MemoryRecords.withRecords(Compression.NONE, simple(vals)).buffer();
                } else {
                    batch = MemoryRecords.withIdempotentRecords(Compression.NONE, pid, epoch, seq, simple(vals))
                            .buffer();
                }
                ProducePartitionResult r = p.appendAsLeader(batch, (short) 1);
                if (pid >= 0 && m.open(pid)) {
                    assertEquals(Errors.INVALID_TXN_STATE, r.error(), "plain batch during an open txn: " + op);
                    assertEquals(leo, p.logEndOffset());
                    return;
                }
                assertEquals(Errors.NONE, r.error(), r.message());
                assertEquals(leo, r.baseOffset());
                events.add(new Event(r.baseOffset(), r.lastOffset(), pid, pid < 0 ? -1 : epoch, seq, false, false,
                        false, vals));
        } else if (op instanceof Txn txn) {
                long pid = PIDS[txn.producer()];
                short epoch = m.epoch(pid);
                int seq = m.nextSeq(pid);
                assertEquals(!m.open(pid), p.needsVerification(pid, epoch), "needsVerification " + op);
                if (txn.verify() && p.needsVerification(pid, epoch)) {
                    p.markVerified(pid, epoch);
                }
                List<String> vals = values(txn.records());
                ByteBuffer batch = MemoryRecords.withTransactionalRecords(Compression.NONE, pid, epoch, seq,
                        simple(vals)).buffer();
                ProducePartitionResult r = p.appendAsLeader(batch, (short) 1);
                if (!m.open(pid) && !txn.verify()) {
                    assertEquals(Errors.INVALID_TXN_STATE, r.error(), "unverified transactional batch: " + op);
                    assertEquals(leo, p.logEndOffset());
                    return;
                }
                assertEquals(Errors.NONE, r.error(), r.message());
                assertEquals(leo, r.baseOffset());
                events.add(new Event(r.baseOffset(), r.lastOffset(), pid, epoch, seq, true, false, false, vals));
        } else if (op instanceof Marker marker) {
                long pid = PIDS[marker.producer()];
                short epoch = (short) (m.epoch(pid) + (marker.bump() ? 1 : 0));
                ProducePartitionResult r = p.appendTxnMarker(pid, epoch, 0, marker.commit());
                assertEquals(Errors.NONE, r.error(), r.message());
                assertEquals(leo, r.baseOffset());
                events.add(new Event(r.baseOffset(), r.lastOffset(), pid, epoch, -1, true, true, marker.commit(),
                        List.of()));
        } else if (op instanceof Reopen) {
                List<AbortedTxn> before = p.log().abortedTransactions(0, Long.MAX_VALUE);
                h.reopen();
                assertEquals(before, h.p.log().abortedTransactions(0, Long.MAX_VALUE), "txnindex after reopen");
        } else if (op instanceof Truncate truncate) {
                int keep = truncate.choice() % (events.size() + 1);
                long offset = keep == events.size() ? leo : events.get(keep).baseOffset();
                h.truncate(offset);
                events.subList(keep, events.size()).clear();
                assertEquals(offset, h.p.logEndOffset());
        }
    }

    private static void check(Harness h, List<Event> events, Op op, boolean batchByBatch) {
        Model m = Model.of(events);
        Partition p = h.p;
        assertEquals(m.end, p.logEndOffset(), "log end offset after " + op);
        assertEquals(p.logEndOffset(), p.highWatermark(), "single replica: HW = LEO");
        long lso = p.lastStableOffset();
        assertEquals(m.expectedLso(), lso, "last stable offset after " + op + "; open " + m.openFirst);
        List<Seen> expected = m.committed.stream().filter(s -> s.offset() < lso).toList();
        assertEquals(expected, readCommitted(p, 1 << 20), "read_committed after " + op + "; events " + events);
        if (batchByBatch) {
            assertEquals(expected, readCommitted(p, 1), "read_committed batch by batch after " + op + "; events "
                    + events);
        }
        // the follower, replaying the same batches (markers included), has the same transactions
        h.replicate();
        Partition f = h.follower;
        assertEquals(lso, f.lastStableOffset(), "follower's last stable offset after " + op);
        assertEquals(p.log().abortedTransactions(0, Long.MAX_VALUE), f.log().abortedTransactions(0, Long.MAX_VALUE),
                "follower's aborted transactions after " + op);
        assertEquals(byPid(p.producers()), byPid(f.producers()), "follower's producer state after " + op);
    }

    private static Map<Long, io.runnel.broker.producer.ProducerStateEntry> byPid(
            List<io.runnel.broker.producer.ProducerStateEntry> entries) {
        Map<Long, io.runnel.broker.producer.ProducerStateEntry> out = new java.util.TreeMap<>();
        entries.forEach(e -> out.put(e.producerId(), e));
        return out;
    }

    /** A read_committed consumer's view from offset 0, filtering aborted transactions as Kafka's consumer does. */
    static List<Seen> readCommitted(Partition p, int maxBytes) {
        List<Seen> out = new ArrayList<>();
        long offset = 0;
        for (int fetches = 0; fetches < 1000; fetches++) {
            FetchPartitionData d = p.read(new FetchPartition(TP, offset, maxBytes, -1), -1, maxBytes, true, true);
            assertEquals(Errors.NONE, d.error());
            assertEquals(p.lastStableOffset(), d.lastStableOffset());
            if (d.records().isEmpty()) {
                return out;
            }
            ByteBuffer bytes;
            try {
                bytes = d.records().readAll();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            PriorityQueue<AbortedTxn> aborted = new PriorityQueue<>(Comparator.comparingLong(AbortedTxn::firstOffset));
            aborted.addAll(d.abortedTransactions());
            Set<Long> abortedPids = new HashSet<>();
            long before = offset;
            for (RecordBatch b : MemoryRecords.readableRecords(bytes).batches()) {
                while (!aborted.isEmpty() && aborted.peek().firstOffset() <= b.lastOffset()) {
                    abortedPids.add(aborted.poll().producerId());
                }
                if (b.isControlBatch()) {
                    for (Record r : b) {
                        if (ControlRecordType.parse(r.key()) == ControlRecordType.ABORT) {
                            abortedPids.remove(b.producerId());
                        }
                    }
                } else if (!(b.isTransactional() && abortedPids.contains(b.producerId()))) {
                    for (Record r : b) {
                        if (r.offset() >= offset) {
                            byte[] v = new byte[r.valueSize()];
                            r.value().get(v);
                            out.add(new Seen(r.offset(), new String(v, StandardCharsets.UTF_8)));
                        }
                    }
                }
                offset = b.nextOffset();
            }
            assertTrue(offset > before, "a non-empty read moves the consumer forward");
            assertTrue(offset <= p.lastStableOffset(), "read_committed never returns batches past the LSO");
        }
        throw new AssertionError("reader did not finish");
    }

    /** In memory when the machine has /dev/shm: the reopens' flushes cost nothing there. */
    private static Path tempDir() throws IOException {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "txn-partition")
                : Files.createTempDirectory("txn-partition");
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
