package io.runnel.cli.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Percentiles over bounded latency samples. */
class LatencySamplesProperties {

    private static final double[] PS = {0.0, 0.5, 0.95, 0.99, 0.999, 1.0};

    @Property
    void whenEverythingFitsPercentilesAreTheSortedValueAtFloorPN(
            @ForAll @Size(min = 1, max = 300) List<@IntRange(min = 0, max = 100_000) Integer> latencies) {
        LatencySamples samples = new LatencySamples(latencies.size(), 1000);
        latencies.forEach(samples::add);
        int[] sorted = latencies.stream().mapToInt(Integer::intValue).sorted().toArray();
        int[] got = samples.percentiles(PS);
        for (int i = 0; i < PS.length; i++) {
            int index = (int) Math.min(sorted.length - 1, (long) (PS[i] * sorted.length));
            assertEquals(sorted[index], got[i], "p=" + PS[i]);
        }
    }

    @Property
    void sampledPercentilesAreOrderedAndWithinTheObservedRange(
            @ForAll @Size(min = 1, max = 2000) List<@IntRange(min = 0, max = 5000) Integer> latencies,
            @ForAll @IntRange(min = 1, max = 50) int maxSamples) {
        LatencySamples samples = new LatencySamples(latencies.size(), maxSamples);
        latencies.forEach(samples::add);
        assertTrue(samples.size() >= 1 && samples.size() <= maxSamples, "kept " + samples.size());
        int[] got = samples.percentiles(PS);
        int min = latencies.stream().mapToInt(Integer::intValue).min().orElseThrow();
        int max = latencies.stream().mapToInt(Integer::intValue).max().orElseThrow();
        for (int i = 0; i < got.length; i++) {
            assertTrue(got[i] >= min && got[i] <= max, Arrays.toString(got));
            if (i > 0) {
                assertTrue(got[i] >= got[i - 1], Arrays.toString(got));
            }
        }
    }

    @Property
    void moreOffersThanExpectedNeverOverflow(@ForAll @IntRange(min = 1, max = 100) int expected,
            @ForAll @IntRange(min = 0, max = 1000) int offered) {
        LatencySamples samples = new LatencySamples(expected, 10);
        for (int i = 0; i < offered; i++) {
            samples.add(i);
        }
        assertTrue(samples.size() <= 10);
    }
}
