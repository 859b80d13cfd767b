package io.runnel.compat.streams;

import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Produced;

/**
 * A Kafka Streams 4.4 word count run as its own JVM by {@code StreamsExactlyOnceTest}: lines from the input topic are
 * split on whitespace, re-keyed by word (through a repartition topic), counted in a RocksDB store backed by a
 * changelog topic, and every new count is written to the output topic as (word, count). Processing is
 * {@code exactly_once_v2}; Streams' internal topics get {@code replication.factor=3}.
 *
 * <p>Arguments: {@code bootstrap applicationId inputTopic outputTopic stateDir}. It prints {@code STATE <new state>} on
 * each state change to stdout, for the test to wait on, and runs until killed.
 */
public final class WordCountApp {

    /** Line printed to stdout on each state change: {@code STATE RUNNING}, {@code STATE ERROR}, ... */
    public static final String STATE_PREFIX = "STATE ";

    private WordCountApp() {
    }

    /** The topology: lines in, (word, count) out. */
    public static Topology topology(String input, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .flatMap((key, line) -> Arrays.stream(line.toLowerCase(Locale.ROOT).split("\\s+"))
                        .filter(w -> !w.isEmpty())
                        .map(w -> KeyValue.pair(w, w))
                        .toList())
                .groupByKey(Grouped.with("words", Serdes.String(), Serdes.String()))
                .count()
                .toStream()
                .to(output, Produced.with(Serdes.String(), Serdes.Long()));
        return builder.build();
    }

    /** The Streams configuration the test runs with (exactly_once_v2, RF 3, short commit interval and timeouts). */
    public static Properties config(String bootstrap, String applicationId, String stateDir) {
        Properties p = new Properties();
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 3);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        // A killed instance's group member is dropped after 10 s rather than 45 s; its open transaction is aborted
        // by the coordinator after the producer's transaction timeout (Streams' EOS default, 10 s).
        p.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 10_000);
        p.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), 1_000);
        p.put(StreamsConfig.producerPrefix("transaction.timeout.ms"), 10_000);
        return p;
    }

    /**
     * Runs the application until the JVM is killed (or Streams reaches ERROR, then exits with 1).
     *
     * @param args {@code bootstrap applicationId inputTopic outputTopic stateDir}
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 5) {
            System.err.println("usage: WordCountApp bootstrap applicationId inputTopic outputTopic stateDir");
            System.exit(2);
        }
        KafkaStreams streams = new KafkaStreams(topology(args[2], args[3]), config(args[0], args[1], args[4]));
        CountDownLatch failed = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            System.out.println(STATE_PREFIX + now);
            System.out.flush();
            if (now == KafkaStreams.State.ERROR) {
                failed.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            e.printStackTrace();
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .SHUTDOWN_CLIENT;
        });
        streams.start();
        failed.await();
        streams.close(java.time.Duration.ofSeconds(10));
        System.exit(1);
    }
}
