package io.runnel.jepsen.workload;

import io.runnel.jepsen.history.History;
import io.runnel.jepsen.history.Op;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The kv workload's final read after the heal: one full pass ({@link KvPass}) with a new consumer, recorded as a
 * {@code drain} invoke then ok holding every record. A pass that fails completes info (with the reason) and is
 * retried 2 s later with a new consumer from the beginning, until one completes or the limit is reached; the
 * checker judges by the last drain.
 */
public final class KvDrain {
    private KvDrain() {
    }

    /**
     * Reads the whole kv topic into {@code history} as process {@code process}.
     *
     * @param limit how long all attempts together may take
     * @return true when a pass read every partition to its end offset within {@code limit}
     */
    public static boolean run(KvConfig config, History history, int process, Duration limit, Consumer<String> log) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            history.record(Op.invoke(process, Op.F.DRAIN));
            try (KafkaConsumer<String, Long> c = KvReader.open(config, "jepsen-kv-drain-" + process)) {
                Map<Integer, List<Op.Read>> reads = KvPass.read(c, config.topicPartitions(), left);
                history.record(Op.readOk(process, Op.F.DRAIN, reads));
                log.accept("drain: read " + reads.values().stream().mapToInt(List::size).sum()
                        + " records in one pass");
                return true;
            } catch (KvPass.Incomplete | RuntimeException e) {
                String why = e instanceof KvPass.Incomplete ? e.getMessage() : Outcomes.describe(e);
                history.record(Op.error(process, Op.Type.INFO, Op.F.DRAIN, why));
                log.accept("drain: " + why + "; retrying from the beginning");
                sleep();
            }
        }
        return false;
    }

    private static void sleep() {
        try {
            Thread.sleep(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
