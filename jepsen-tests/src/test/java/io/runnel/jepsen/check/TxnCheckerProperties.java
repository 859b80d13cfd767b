package io.runnel.jepsen.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.jepsen.history.HistoryJson;
import io.runnel.jepsen.history.Op;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** {@link TxnChecker} on histories of a correct serial model ({@link TxnSimulation}), and their JSON round trip. */
class TxnCheckerProperties {

    @Property
    void aSerialHistoryHasNoAnomaly(@ForAll @IntRange(min = 1, max = 4) int partitions,
                                    @ForAll @IntRange(min = 1, max = 3) int workers,
                                    @ForAll("steps") List<TxnSimulation.Step> steps) {
        List<Op> history = TxnSimulation.run(partitions, workers, steps);
        CheckResult r = TxnChecker.check(history);
        assertEquals(List.of(), r.anomalies());
        assertTrue(r.valid());
        assertEquals(r.acked() + r.failed() + r.unknown(), r.sends(), "every send completes");
    }

    @Property(tries = 200)
    void txnHistoryLinesRoundTrip(@ForAll @IntRange(min = 1, max = 4) int partitions,
                                  @ForAll("steps") List<TxnSimulation.Step> steps) {
        for (Op op : TxnSimulation.run(partitions, 2, steps)) {
            assertEquals(op, HistoryJson.fromLine(HistoryJson.toLine(op)));
        }
    }

    @Provide
    Arbitrary<List<TxnSimulation.Step>> steps() {
        Arbitrary<Integer> choice = Arbitraries.integers().between(0, 1 << 20);
        return Combinators.combine(choice, choice, choice, choice).as(TxnSimulation.Step::new).list()
                .ofMaxSize(200);
    }
}
