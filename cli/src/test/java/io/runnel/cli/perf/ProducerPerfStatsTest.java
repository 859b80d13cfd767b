package io.runnel.cli.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** producer-perf-test lines from fixed inputs, in Kafka's formats (checked against kafka-producer-perf-test.sh). */
class ProducerPerfStatsTest {

    @Test
    void windowLineHasOneDecimalRatesAndTwoDecimalMegabytes() {
        // 17699 records of 100 bytes in 503 ms, latencies summing to 3,488,477 ms, max 336 ms.
        assertEquals("17699 records sent, 35186.9 records/sec (3.36 MB/sec), 197.1 ms avg latency, 336.0 ms max "
                + "latency.", ProducerPerfStats.windowLine(17699, 1_769_900, 503, 3_488_477, 336));
    }

    @Test
    void totalLineHasSixDecimalRateAndWholeMillisecondPercentiles() {
        assertEquals("200000 records sent, 57306.590258 records/sec (5.47 MB/sec), 1480.09 ms avg latency, 2315.00 ms "
                        + "max latency, 1767 ms 50th, 2253 ms 95th, 2301 ms 99th, 2312 ms 99.9th.",
                ProducerPerfStats.totalLine(200_000, 20_000_000, 3490, 296_018_000, 2315,
                        new int[] {1767, 2253, 2301, 2312}));
    }

    @Test
    void numbersUseADotWhateverTheDefaultLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals("1 records sent, 1000.0 records/sec (0.01 MB/sec), 2.0 ms avg latency, 2.0 ms max latency.",
                    ProducerPerfStats.windowLine(1, 10, 1, 2, 2));
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void recordReturnsAWindowLineOncePerIntervalAndTheTotalCoversEverything() {
        ProducerPerfStats stats = new ProducerPerfStats(4, 5000, 1_000_000);
        assertNull(stats.record(10, 100, 1_001_000));
        assertNull(stats.record(20, 100, 1_004_999));
        assertEquals("3 records sent, 0.6 records/sec (0.00 MB/sec), 20.0 ms avg latency, 30.0 ms max latency.",
                stats.record(30, 100, 1_005_000));
        assertNull(stats.record(40, 100, 1_006_000));
        assertEquals(4, stats.count());
        assertEquals("4 records sent, 0.500000 records/sec (0.00 MB/sec), 25.00 ms avg latency, 40.00 ms max latency, "
                + "30 ms 50th, 40 ms 95th, 40 ms 99th, 40 ms 99.9th.", stats.totalLine(1_008_000));
    }

    @Test
    void noAcknowledgedRecordsGiveZerosNotNaN() {
        assertEquals("0 records sent, 0.000000 records/sec (0.00 MB/sec), 0.00 ms avg latency, 0.00 ms max latency, "
                + "0 ms 50th, 0 ms 95th, 0 ms 99th, 0 ms 99.9th.", new ProducerPerfStats(5, 5000, 0).totalLine(0));
    }
}
