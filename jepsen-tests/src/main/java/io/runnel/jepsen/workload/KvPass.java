package io.runnel.jepsen.workload;

import io.runnel.jepsen.history.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * One full pass over the kv topic with an assigned consumer: seek every partition to its beginning, take the end
 * offsets (the high watermarks), poll until the position of every partition reached its end offset. Used by the
 * readers ({@code read}) and by the final drain.
 */
final class KvPass {
    /** The pass did not reach the end offsets in time. */
    static final class Incomplete extends Exception {
        Incomplete(String message) {
            super(message);
        }
    }

    private KvPass() {
    }

    /**
     * Reads every partition of {@code tps} from its beginning to the end offset it had when the pass started.
     *
     * @param limit how long the whole pass may take
     * @return partition -> every record read, in offset order, as (offset, version, key)
     * @throws Incomplete when the end offsets are not reached within {@code limit}
     */
    static Map<Integer, List<Op.Read>> read(KafkaConsumer<String, Long> consumer, List<TopicPartition> tps,
                                            Duration limit) throws Incomplete {
        long deadline = System.nanoTime() + limit.toNanos();
        consumer.seekToBeginning(tps);
        Map<TopicPartition, Long> end = consumer.endOffsets(tps, limit);
        Map<Integer, List<Op.Read>> reads = new HashMap<>();
        while (true) {
            boolean done = true;
            for (TopicPartition tp : tps) {
                done &= consumer.position(tp, limit) >= end.get(tp);
            }
            if (done) {
                return reads;
            }
            if (System.nanoTime() > deadline) {
                throw new Incomplete("end offsets " + end.values() + " not reached within " + limit.toMillis()
                        + " ms");
            }
            for (ConsumerRecord<String, Long> r : consumer.poll(Duration.ofMillis(200))) {
                reads.computeIfAbsent(r.partition(), k -> new ArrayList<>())
                        .add(new Op.Read(r.offset(), r.value() == null ? -1 : r.value(), KvConfig.keyOf(r.key())));
            }
        }
    }
}
