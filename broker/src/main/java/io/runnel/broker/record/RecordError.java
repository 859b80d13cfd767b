package io.runnel.broker.record;

/**
 * Why one record made its batch refused: a Produce v8+ response's {@code record_errors} entry (KIP-467).
 *
 * @param batchIndex the record's position in its batch, from 0
 * @param message    why, naming the topic partition where Kafka does
 */
public record RecordError(int batchIndex, String message) {
    /** Kafka's text form, used in the partition's error message. */
    @Override
    public String toString() {
        return "RecordError(batchIndex=" + batchIndex + ", message='" + message + "')";
    }
}
