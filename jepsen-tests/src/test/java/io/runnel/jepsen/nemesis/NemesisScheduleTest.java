package io.runnel.jepsen.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class NemesisScheduleTest {
    private static final List<String> ALL = List.of("partition", "packet", "kill", "pause", "clock");

    @Test
    void aSeedReproducesItsSchedule() {
        assertEquals(NemesisSchedule.draw(ALL, 42, 180_000, 10_000), NemesisSchedule.draw(ALL, 42, 180_000, 10_000));
        assertNotEquals(NemesisSchedule.draw(ALL, 42, 180_000, 10_000),
                NemesisSchedule.draw(ALL, 43, 180_000, 10_000));
    }

    @Test
    void noNemesisNoSteps() {
        assertTrue(NemesisSchedule.draw(List.of(), 1, 60_000, 10_000).steps().isEmpty());
    }

    @Property(tries = 200000)
    void stepsStayInsideTheRunAndNoFaultOutlastsItsBound(@ForAll long seed) {
        long limit = 180_000;
        long interval = 10_000;
        var steps = NemesisSchedule.draw(ALL, seed, limit, interval).steps();
        Map<String, Long> since = new HashMap<>();
        long previous = -1;
        for (NemesisSchedule.Step s : steps) {
            assertTrue(s.atMs() >= NemesisSchedule.WARMUP_MS && s.atMs() < limit, "step at " + s.atMs());
            assertTrue(s.atMs() > previous);
            previous = s.atMs();
            Long start = since.remove(s.nemesis());
            if (start == null) {
                since.put(s.nemesis(), s.atMs());
            } else {
                assertTrue(s.atMs() - start < NemesisSchedule.MAX_FAULT_MS + 1.5 * interval,
                        s.nemesis() + " active " + (s.atMs() - start) + " ms");
            }
        }
    }
}
