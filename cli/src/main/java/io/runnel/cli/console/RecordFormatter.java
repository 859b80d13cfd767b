package io.runnel.cli.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;

/**
 * Writes consumed records the way Kafka's console consumer does by default, controlled by the formatter properties
 * ({@code --property} / {@code --formatter-property}):
 * <pre>
 *   print.timestamp=false   CreateTime:1700000000000 (LogAppendTime:..., or NO_TIMESTAMP)
 *   print.partition=false   Partition:0
 *   print.offset=false      Offset:42
 *   print.headers=false     k1:v1,k2:v2 (NO_HEADERS when there are none)
 *   print.key=false         the key
 *   print.value=true        the value
 *   key.separator=\t        between the printed fields
 *   line.separator=\n       after each record
 *   headers.separator=,     between two headers
 *   null.literal=null       printed for a null key, value or header value
 * </pre>
 * Fields appear in that order. Keys, values and header values are written as their raw bytes.
 */
final class RecordFormatter {

    private final boolean timestamp;
    private final boolean partition;
    private final boolean offset;
    private final boolean headers;
    private final boolean key;
    private final boolean value;
    private final byte[] fieldSeparator;
    private final byte[] lineSeparator;
    private final byte[] headersSeparator;
    private final byte[] nullLiteral;

    /** @param props formatter properties as listed in the class comment; unknown keys are ignored */
    RecordFormatter(Map<String, String> props) {
        this.timestamp = flag(props, "print.timestamp", false);
        this.partition = flag(props, "print.partition", false);
        this.offset = flag(props, "print.offset", false);
        this.headers = flag(props, "print.headers", false);
        this.key = flag(props, "print.key", false);
        this.value = flag(props, "print.value", true);
        this.fieldSeparator = utf8(props.getOrDefault("key.separator", "\t"));
        this.lineSeparator = utf8(props.getOrDefault("line.separator", "\n"));
        this.headersSeparator = utf8(props.getOrDefault("headers.separator", ","));
        this.nullLiteral = utf8(props.getOrDefault("null.literal", "null"));
    }

    /**
     * Writes one record (nothing at all when every field is turned off).
     *
     * @param record the consumed record
     * @param out where its bytes go
     * @throws IOException from {@code out}
     */
    void write(ConsumerRecord<byte[], byte[]> record, OutputStream out) throws IOException {
        List<byte[]> fields = new ArrayList<>(6);
        if (timestamp) {
            fields.add(utf8(record.timestampType() == TimestampType.NO_TIMESTAMP_TYPE
                    ? "NO_TIMESTAMP" : record.timestampType() + ":" + record.timestamp()));
        }
        if (partition) {
            fields.add(utf8("Partition:" + record.partition()));
        }
        if (offset) {
            fields.add(utf8("Offset:" + record.offset()));
        }
        if (headers) {
            fields.add(headers(record));
        }
        if (key) {
            fields.add(orNull(record.key()));
        }
        if (value) {
            fields.add(orNull(record.value()));
        }
        if (fields.isEmpty()) {
            return;
        }
        for (int i = 0; i < fields.size(); i++) {
            out.write(i == 0 ? new byte[0] : fieldSeparator);
            out.write(fields.get(i));
        }
        out.write(lineSeparator);
    }

    /** The record's bytes as {@link #write} would write them; used by tests. */
    byte[] format(ConsumerRecord<byte[], byte[]> record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(record, out);
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        return out.toByteArray();
    }

    private byte[] headers(ConsumerRecord<byte[], byte[]> record) {
        Iterator<Header> it = record.headers().iterator();
        if (!it.hasNext()) {
            return utf8("NO_HEADERS");
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        while (it.hasNext()) {
            Header h = it.next();
            buf.writeBytes(utf8(h.key() + ":"));
            buf.writeBytes(orNull(h.value()));
            if (it.hasNext()) {
                buf.writeBytes(headersSeparator);
            }
        }
        return buf.toByteArray();
    }

    private byte[] orNull(byte[] bytes) {
        return bytes == null ? nullLiteral : bytes;
    }

    private static boolean flag(Map<String, String> props, String name, boolean fallback) {
        String v = props.get(name);
        return v == null ? fallback : v.trim().equalsIgnoreCase("true");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
