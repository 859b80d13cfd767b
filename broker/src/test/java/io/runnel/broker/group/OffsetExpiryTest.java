package io.runnel.broker.group;

import io.runnel.metadata.image.CommittedOffset;
import io.runnel.metadata.image.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** KIP-211's rule: an offset expires once the retention has passed since its commit and since the group emptied. */
class OffsetExpiryTest {
    private static final long DAY = 86_400_000L;
    private static final TopicPartition A = new TopicPartition("a", 0);
    private static final TopicPartition B = new TopicPartition("b", 1);

    private static CommittedOffset at(long ts) {
        return new CommittedOffset(5, -1, "", ts);
    }

    @Test
    void offsetsOlderThanTheRetentionExpire() {
        Map<TopicPartition, CommittedOffset> committed = Map.of(B, at(10 * DAY), A, at(2 * DAY));
        assertEquals(List.of(A), OffsetExpiry.expired(committed, 0, 9 * DAY, 7 * DAY));
        assertEquals(List.of(A, B), OffsetExpiry.expired(committed, 0, 17 * DAY, 7 * DAY));
        assertEquals(List.of(), OffsetExpiry.expired(committed, 0, 9 * DAY - 1, 7 * DAY), "one ms early");
    }

    @Test
    void theRetentionCountsFromWhenTheGroupBecameEmpty() {
        Map<TopicPartition, CommittedOffset> committed = Map.of(A, at(DAY));
        assertEquals(List.of(), OffsetExpiry.expired(committed, 5 * DAY, 11 * DAY, 7 * DAY));
        assertEquals(List.of(A), OffsetExpiry.expired(committed, 5 * DAY, 12 * DAY, 7 * DAY));
    }
}
