package io.runnel.cli.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.text.SimpleDateFormat;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/** consumer-perf-test lines from fixed inputs, in Kafka's formats (checked against kafka-consumer-perf-test.sh). */
class ConsumerPerfFormatTest {

    private static SimpleDateFormat utc() {
        SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss:SSS");
        f.setTimeZone(TimeZone.getTimeZone("UTC"));
        return f;
    }

    @Test
    void headers() {
        assertEquals("start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, "
                + "rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec", ConsumerPerfFormat.header(false));
        assertEquals("time, threadId, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, "
                + "rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec", ConsumerPerfFormat.header(true));
    }

    @Test
    void summaryLine() {
        // 200,000 records of 100 bytes in 1017 ms, 502 of them joining the group.
        assertEquals("2023-11-14 22:13:20:000, 2023-11-14 22:13:21:017, 19.0735, 18.7547, 200000, 196656.8338, "
                        + "502, 515, 37.0359, 388349.5146",
                ConsumerPerfFormat.summary(utc(), 1_700_000_000_000L, 1_700_000_001_017L, 20_000_000, 200_000, 502));
    }

    @Test
    void progressLineCoversOneInterval() {
        assertEquals("2023-11-14 22:13:20:200, 0, 4.4658, 20.2544, 46827, 212382.3529, 0, 204, 20.2544, "
                        + "212382.3529",
                ConsumerPerfFormat.progress(utc(), 1_699_999_999_996L, 1_700_000_000_200L, 4_682_700, 350_100,
                        46_827, 3_501, 0));
    }

    @Test
    void zeroTimeGivesZeroRates() {
        assertEquals("1970-01-01 00:00:00:000, 1970-01-01 00:00:00:000, 0.0000, 0.0000, 0, 0.0000, 0, 0, 0.0000, "
                + "0.0000", ConsumerPerfFormat.summary(utc(), 0, 0, 0, 0, 0));
    }

    @Test
    void timeoutWarningIsKafkas() {
        assertEquals("WARNING: Exiting before consuming the expected number of messages: timeout (10000 ms) "
                + "exceeded. You can use the --timeout option to increase the timeout.",
                ConsumerPerfFormat.timeoutWarning(10_000));
    }
}
