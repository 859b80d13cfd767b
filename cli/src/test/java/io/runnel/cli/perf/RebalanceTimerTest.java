package io.runnel.cli.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Join-time accounting of consumer-perf-test with a fake clock. */
class RebalanceTimerTest {

    private static final TopicPartition A = new TopicPartition("t", 0);
    private static final TopicPartition B = new TopicPartition("t", 1);

    @Test
    void countsTimeWithoutPartitionsOnly() {
        AtomicLong now = new AtomicLong(1000);
        RebalanceTimer timer = new RebalanceTimer(now::get);

        now.set(1300);
        timer.onPartitionsAssigned(List.of(A, B));
        assertEquals(300, timer.totalMs());
        assertEquals(300, timer.takeIntervalMs());
        assertEquals(0, timer.takeIntervalMs());

        now.set(2000);
        timer.onPartitionsRevoked(List.of(A));   // still owns B: not rejoining
        now.set(2100);
        timer.onPartitionsAssigned(List.of(A));
        assertEquals(300, timer.totalMs());

        timer.onPartitionsRevoked(List.of(A, B));
        now.set(2150);
        timer.onPartitionsAssigned(List.of(B));
        assertEquals(350, timer.totalMs());
        assertEquals(50, timer.takeIntervalMs());
    }
}
