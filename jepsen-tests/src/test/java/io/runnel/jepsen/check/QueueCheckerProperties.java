package io.runnel.jepsen.check;

import io.runnel.jepsen.check.Anomaly.Kind;
import io.runnel.jepsen.history.HistoryJson;
import io.runnel.jepsen.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker on generated histories ({@link SimulatedQueue}), and the history lines' round trip. */
class QueueCheckerProperties {

    @Property
    void aValidHistoryHasNoAnomalies(@ForAll @IntRange(min = 1, max = 3) int partitions,
                                     @ForAll @IntRange(min = 1, max = 3) int producers,
                                     @ForAll @IntRange(min = 1, max = 3) int consumers,
                                     @ForAll("steps") List<SimulatedQueue.Step> steps) {
        SimulatedQueue.Run run = SimulatedQueue.run(partitions, producers, consumers, steps);
        CheckResult r = QueueChecker.check(run.history());
        assertEquals(List.of(), r.anomalies());
        assertTrue(r.valid());
        assertEquals(run.records(), r.readValues(), "every record in the log is drained");
        assertEquals(r.sends(), r.acked() + r.failed() + r.unknown(), "every send completes");
    }

    @Property
    void droppingAnAcknowledgedValueFromEveryReadIsOneLostWrite(
            @ForAll @IntRange(min = 1, max = 3) int partitions,
            @ForAll @IntRange(min = 1, max = 3) int producers,
            @ForAll @IntRange(min = 1, max = 3) int consumers,
            @ForAll("steps") List<SimulatedQueue.Step> steps,
            @ForAll @IntRange(min = 0, max = 100_000) int pick) {
        List<Op> history = SimulatedQueue.run(partitions, producers, consumers, steps).history();
        Map<Integer, Long> highestRead = new HashMap<>();
        for (Op op : history) {
            op.reads().forEach((p, reads) -> reads.forEach(r -> highestRead.merge(p, r.offset(), Math::max)));
        }
        List<Op> candidates = history.stream().filter(op -> op.f() == Op.F.SEND && op.type() == Op.Type.OK
                && op.offset() < highestRead.getOrDefault(op.partition(), -1L)).toList();
        Assume.that(!candidates.isEmpty());
        Op victim = candidates.get(pick % candidates.size());
        Op.Read dropped = new Op.Read(victim.offset(), victim.value());
        List<Op> changed = history.stream().map(op -> without(op, victim.partition(), dropped)).toList();

        CheckResult r = QueueChecker.check(changed);
        List<Anomaly> lost = r.anomalies().stream().filter(a -> a.kind() == Kind.LOST_WRITE).toList();
        assertEquals(1, lost.size(), r.anomalies()::toString);
        assertEquals(victim.partition(), lost.get(0).partition());
        assertEquals(victim.index(), lost.get(0).opIndexes().get(0));
        assertTrue(lost.get(0).description().contains("value " + victim.value() + " acknowledged at offset "
                + victim.offset()), lost.get(0)::description);
        List<Anomaly> unseen = r.anomalies().stream().filter(a -> a.kind() == Kind.UNSEEN).toList();
        assertEquals(1, unseen.size(), r.anomalies()::toString);
        assertEquals(List.of(victim.index()), unseen.get(0).opIndexes());
        // Readers that read across the dropped offset skip it; nothing else may show.
        for (Anomaly a : r.anomalies()) {
            assertTrue(a.kind() == Kind.LOST_WRITE || a.kind() == Kind.UNSEEN
                    || a.kind() == Kind.POLL_SKIP && a.partition() == victim.partition(), a::toString);
        }
    }

    @Property
    void generatedHistoryLinesRoundTrip(@ForAll @IntRange(min = 1, max = 3) int partitions,
                                        @ForAll("steps") List<SimulatedQueue.Step> steps) {
        for (Op op : SimulatedQueue.run(partitions, 2, 2, steps).history()) {
            assertEquals(op, HistoryJson.fromLine(HistoryJson.toLine(op)));
        }
    }

    @Property
    void arbitraryOpsRoundTrip(@ForAll("ops") Op op) {
        assertEquals(op, HistoryJson.fromLine(HistoryJson.toLine(op)));
    }

    @Provide
    Arbitrary<List<SimulatedQueue.Step>> steps() {
        Arbitrary<Integer> choice = Arbitraries.integers().between(0, 1 << 16);
        return Combinators.combine(choice, choice, choice, choice).as(SimulatedQueue.Step::new).list()
                .ofMaxSize(400);
    }

    /** Ops of every shape the recorder writes (the factories of {@link Op}), at any index and time. */
    @Provide
    Arbitrary<Op> ops() {
        Arbitrary<Integer> process = Arbitraries.integers().between(0, 10_000);
        Arbitrary<Integer> partition = Arbitraries.integers().between(0, 10_000);
        Arbitrary<Long> value = Arbitraries.longs();
        Arbitrary<Long> offset = Arbitraries.longs().greaterOrEqual(0);
        Arbitrary<String> error = Arbitraries.strings().ofMaxLength(60);
        Arbitrary<Op.Type> errorType = Arbitraries.of(Op.Type.FAIL, Op.Type.INFO);
        Arbitrary<Op.F> f = Arbitraries.of(Op.F.class);
        Arbitrary<List<Op.Read>> records = Combinators.combine(offset, value).as(Op.Read::new).list().ofMaxSize(5);
        Arbitrary<Map<Integer, List<Op.Read>>> reads = Arbitraries.maps(partition, records).ofMaxSize(4);
        Arbitrary<Op> shape = Arbitraries.oneOf(List.of(
                Combinators.combine(process, partition, value).as(Op::sendInvoke),
                Combinators.combine(process, partition, value, offset).as(Op::sendOk),
                Combinators.combine(process, errorType, partition, value, error).as(Op::sendError),
                Combinators.combine(process, f).as(Op::invoke),
                Combinators.combine(process, Arbitraries.of(Op.F.POLL, Op.F.DRAIN), reads).as(Op::readOk),
                Combinators.combine(process, Arbitraries.of(Op.F.ASSIGN, Op.F.SUBSCRIBE, Op.F.REBALANCE),
                        partition.list().ofMaxSize(5)).as(Op::assignmentOk),
                Combinators.combine(process, f).as(Op::ok),
                Combinators.combine(process, errorType, f, error).as(Op::error)));
        return Combinators.combine(shape, Arbitraries.longs().greaterOrEqual(0), Arbitraries.longs().greaterOrEqual(0))
                .as((op, index, time) -> op.at(index, time));
    }

    /** {@code op} without the record {@code dropped} of {@code partition} in its reads. */
    private static Op without(Op op, int partition, Op.Read dropped) {
        List<Op.Read> reads = op.reads().get(partition);
        if (reads == null || !reads.contains(dropped)) {
            return op;
        }
        Map<Integer, List<Op.Read>> changed = new HashMap<>(op.reads());
        List<Op.Read> kept = new ArrayList<>(reads);
        kept.remove(dropped);
        changed.put(partition, kept);
        return new Op(op.index(), op.time(), op.process(), op.type(), op.f(), op.partition(), op.value(),
                op.offset(), changed, op.partitions(), op.error());
    }
}
