package io.runnel.cli.perf;

import java.text.SimpleDateFormat;
import java.util.Locale;

/**
 * The output lines of {@code consumer-perf-test}, in the format of Kafka's {@code kafka-consumer-perf-test.sh}.
 * Without {@code --show-detailed-stats}: the header
 * {@code start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms,
 * fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec} and one summary line at the end. With it: the header
 * {@code time, threadId, data.consumed.in.MB, MB.sec, ...} and one progress line per reporting interval, no summary.
 * MB is 1024 * 1024 bytes of keys plus values; rates are per second with four decimals; "fetch" rates leave out the
 * time spent joining the group (rebalance). A rate over zero time is printed as 0.0000.
 */
final class ConsumerPerfFormat {

    private static final double MB = 1024.0 * 1024.0;
    private static final String FETCH_FIELDS = ", rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec";

    private ConsumerPerfFormat() {}

    /**
     * @param detailed whether {@code --show-detailed-stats} was given
     * @return the header line
     */
    static String header(boolean detailed) {
        return (detailed
                ? "time, threadId, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec"
                : "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec")
                + FETCH_FIELDS;
    }

    /**
     * @param dates formats the start and end times (Kafka's default {@code yyyy-MM-dd HH:mm:ss:SSS})
     * @param startMs when consuming started, ms since the epoch
     * @param endMs when it ended, ms since the epoch
     * @param bytes key and value bytes consumed
     * @param messages records consumed
     * @param rebalanceMs time spent joining the group, ms
     * @return the summary line
     */
    static String summary(SimpleDateFormat dates, long startMs, long endMs, long bytes, long messages,
            long rebalanceMs) {
        long elapsedMs = endMs - startMs;
        long fetchMs = elapsedMs - rebalanceMs;
        double mb = bytes / MB;
        return String.format(Locale.ROOT, "%s, %s, %.4f, %.4f, %d, %.4f, %d, %d, %.4f, %.4f",
                dates.format(startMs), dates.format(endMs), mb, perSecond(mb, elapsedMs), messages,
                perSecond(messages, elapsedMs), rebalanceMs, fetchMs, perSecond(mb, fetchMs),
                perSecond(messages, fetchMs));
    }

    /**
     * @param dates formats the interval's end time
     * @param intervalStartMs the interval's start, ms since the epoch
     * @param intervalEndMs its end, ms since the epoch
     * @param bytes key and value bytes consumed since the start of the run
     * @param lastBytes the same at the interval's start
     * @param messages records consumed since the start of the run
     * @param lastMessages the same at the interval's start
     * @param rebalanceMs time spent joining the group during the interval, ms
     * @return the progress line (thread id is always 0: one consumer)
     */
    static String progress(SimpleDateFormat dates, long intervalStartMs, long intervalEndMs, long bytes,
            long lastBytes, long messages, long lastMessages, long rebalanceMs) {
        long elapsedMs = intervalEndMs - intervalStartMs;
        long fetchMs = elapsedMs - rebalanceMs;
        double intervalMb = (bytes - lastBytes) / MB;
        long intervalMessages = messages - lastMessages;
        return String.format(Locale.ROOT, "%s, %d, %.4f, %.4f, %d, %.4f, %d, %d, %.4f, %.4f",
                dates.format(intervalEndMs), 0, bytes / MB, perSecond(intervalMb, elapsedMs), messages,
                perSecond(intervalMessages, elapsedMs), rebalanceMs, fetchMs, perSecond(intervalMb, fetchMs),
                perSecond(intervalMessages, fetchMs));
    }

    /**
     * @param timeoutMs the {@code --timeout} that expired, ms
     * @return Kafka's warning line for a run that ended before {@code --messages} records
     */
    static String timeoutWarning(long timeoutMs) {
        return "WARNING: Exiting before consuming the expected number of messages: timeout (" + timeoutMs
                + " ms) exceeded. You can use the --timeout option to increase the timeout.";
    }

    private static double perSecond(double amount, long ms) {
        return ms <= 0 ? 0.0 : amount * 1000.0 / ms;
    }
}
