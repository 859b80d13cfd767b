package io.runnel.cli.console;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The read loop of {@code console-consumer}: positions the consumer (a group subscription, or an assignment with
 * a start offset), then prints records until {@code --max-messages} were printed, no record arrived for
 * {@code --timeout-ms}, stdout was closed, or {@link #wakeup()} was called (SIGINT/SIGTERM).
 */
final class ConsumeSession {

    /** Why the loop ended. */
    enum End { MAX_MESSAGES, TIMEOUT, WAKEUP, OUTPUT_CLOSED }

    private final Consumer<byte[], byte[]> consumer;
    private final RecordFormatter formatter;
    private final PrintStream out;
    private final PrintWriter err;
    private final long maxMessages;
    private final long timeoutMs;
    private long count;

    /**
     * @param consumer a configured consumer, not yet subscribed or assigned; closed by the caller
     * @param formatter how records are printed
     * @param out where records go
     * @param err where the "Unable to write to standard out" notice goes
     * @param maxMessages stop after this many records; negative for no limit
     * @param timeoutMs stop when no record arrived for longer than this, ms; negative for no limit
     */
    ConsumeSession(Consumer<byte[], byte[]> consumer, RecordFormatter formatter, PrintStream out, PrintWriter err,
            long maxMessages, long timeoutMs) {
        this.consumer = consumer;
        this.formatter = formatter;
        this.out = out;
        this.err = err;
        this.maxMessages = maxMessages;
        this.timeoutMs = timeoutMs;
    }

    /** Joins the consumer group for {@code topic} (offsets as the group committed them, else auto.offset.reset). */
    void subscribe(String topic) {
        consumer.subscribe(List.of(topic));
    }

    /**
     * Assigns the partitions directly (no group) and seeks each to {@code start}.
     *
     * @param partitions the partitions to read
     * @param start where to begin in each
     */
    void assign(List<TopicPartition> partitions, StartOffset start) {
        consumer.assign(partitions);
        switch (start.kind()) {
            case EARLIEST -> consumer.seekToBeginning(partitions);
            case LATEST -> consumer.seekToEnd(partitions);
            default -> partitions.forEach(tp -> consumer.seek(tp, start.offset()));
        }
    }

    /**
     * Polls and prints until one of the end conditions.
     *
     * @return why it ended
     */
    End run() {
        Duration pollTimeout = Duration.ofMillis(timeoutMs >= 0 ? timeoutMs : Long.MAX_VALUE);
        long lastRecordNanos = System.nanoTime();
        while (maxMessages < 0 || count < maxMessages) {
            ConsumerRecords<byte[], byte[]> batch;
            try {
                batch = consumer.poll(pollTimeout);
            } catch (WakeupException e) {
                return End.WAKEUP;
            }
            if (batch.isEmpty()) {
                long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastRecordNanos);
                if (timeoutMs >= 0 && idleMs > timeoutMs) {
                    return End.TIMEOUT;
                }
                continue;
            }
            lastRecordNanos = System.nanoTime();
            Iterator<ConsumerRecord<byte[], byte[]>> records = batch.iterator();
            while (records.hasNext()) {
                if (maxMessages >= 0 && count >= maxMessages) {
                    rewind(records);
                    return End.MAX_MESSAGES;
                }
                print(records.next());
                count++;
                if (out.checkError()) {
                    err.println("Unable to write to standard out, closing consumer.");
                    rewind(records);
                    return End.OUTPUT_CLOSED;
                }
            }
        }
        return End.MAX_MESSAGES;
    }

    /** Makes a blocked or future {@link #run()} return; safe from any thread (a shutdown hook). */
    void wakeup() {
        consumer.wakeup();
    }

    /** @return how many records were printed */
    long count() {
        return count;
    }

    private void print(ConsumerRecord<byte[], byte[]> record) {
        try {
            formatter.write(record, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Seeks back to the first record not printed in each partition, so a group does not commit past it. */
    private void rewind(Iterator<ConsumerRecord<byte[], byte[]>> unprinted) {
        Map<TopicPartition, Long> first = new HashMap<>();
        unprinted.forEachRemaining(r -> first.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.offset()));
        first.forEach(consumer::seek);
    }
}
