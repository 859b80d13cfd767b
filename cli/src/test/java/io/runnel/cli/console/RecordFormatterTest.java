package io.runnel.cli.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** Record lines of {@code console-consumer} for each formatter property, as Kafka's default formatter writes them. */
class RecordFormatterTest {

    private static ConsumerRecord<byte[], byte[]> record(String key, String value, TimestampType type) {
        RecordHeaders headers = new RecordHeaders();
        return new ConsumerRecord<>("t", 2, 42L, 1700000000000L, type, -1, -1, bytes(key), bytes(value), headers,
                Optional.empty());
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static String format(Map<String, String> props, ConsumerRecord<byte[], byte[]> r) {
        return new String(new RecordFormatter(props).format(r), StandardCharsets.UTF_8);
    }

    private final ConsumerRecord<byte[], byte[]> rec = record("k", "v", TimestampType.CREATE_TIME);

    @Test
    void defaultIsTheValueAndANewline() {
        assertEquals("v\n", format(Map.of(), rec));
    }

    @Test
    void printKeyIsKeyTabValue() {
        assertEquals("k\tv\n", format(Map.of("print.key", "true"), rec));
        assertEquals("null\tv\n", format(Map.of("print.key", "true"), record(null, "v", TimestampType.CREATE_TIME)));
    }

    @Test
    void printTimestampUsesTheTimestampTypeName() {
        assertEquals("CreateTime:1700000000000\tv\n", format(Map.of("print.timestamp", "true"), rec));
        assertEquals("LogAppendTime:1700000000000\tv\n", format(Map.of("print.timestamp", "true"),
                record("k", "v", TimestampType.LOG_APPEND_TIME)));
        assertEquals("NO_TIMESTAMP\tv\n", format(Map.of("print.timestamp", "true"),
                record("k", "v", TimestampType.NO_TIMESTAMP_TYPE)));
    }

    @Test
    void printPartitionAndOffset() {
        assertEquals("Partition:2\tv\n", format(Map.of("print.partition", "true"), rec));
        assertEquals("Offset:42\tv\n", format(Map.of("print.offset", "true"), rec));
    }

    @Test
    void allFieldsInKafkasOrderWithACustomSeparator() {
        rec.headers().add("h1", bytes("x")).add("h2", null);
        assertEquals("CreateTime:1700000000000 | Partition:2 | Offset:42 | h1:x,h2:null | k | v\n",
                format(Map.of("print.timestamp", "true", "print.partition", "true", "print.offset", "true",
                        "print.headers", "true", "print.key", "true", "key.separator", " | "), rec));
    }

    @Test
    void headersWhenThereAreNone() {
        assertEquals("NO_HEADERS\tv\n", format(Map.of("print.headers", "true"), rec));
    }

    @Test
    void printValueFalseEndsTheLineAfterTheLastField() {
        assertEquals("k\n", format(Map.of("print.key", "true", "print.value", "false"), rec));
        assertEquals("", format(Map.of("print.value", "false"), rec));
    }

    @Test
    void nullLiteralAndLineSeparator() {
        assertEquals("-;", format(Map.of("null.literal", "-", "line.separator", ";"),
                record("k", null, TimestampType.CREATE_TIME)));
    }
}
