package io.runnel.cli.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** Line parsing of {@code console-producer} with each reader property. */
class LineRecordReaderTest {

    private static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void byDefaultTheWholeLineIsTheValue() {
        ProducerRecord<byte[], byte[]> r = new LineRecordReader("t", Map.of()).parse("a\tb-c", 1);
        assertEquals("t", r.topic());
        assertNull(r.key());
        assertEquals("a\tb-c", s(r.value()));
    }

    @Test
    void parseKeySplitsAtTheFirstSeparator() {
        LineRecordReader reader = new LineRecordReader("t", Map.of("parse.key", "true", "key.separator", "-"));
        ProducerRecord<byte[], byte[]> r = reader.parse("k1-v-1", 1);
        assertEquals("k1", s(r.key()));
        assertEquals("v-1", s(r.value()));
        assertEquals("", s(reader.parse("-v", 2).key()));
    }

    @Test
    void aMissingSeparatorIsKafkasErrorOrAValueOnlyRecordWithIgnoreError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LineRecordReader("t", Map.of("parse.key", "true")).parse("novalue", 3));
        assertEquals("No key separator found on line number 3: 'novalue'", e.getMessage());

        ProducerRecord<byte[], byte[]> r = new LineRecordReader("t", Map.of("parse.key", "true",
                "ignore.error", "true")).parse("novalue", 3);
        assertNull(r.key());
        assertEquals("novalue", s(r.value()));
    }

    @Test
    void headersKeyAndValueTogether() {
        LineRecordReader reader = new LineRecordReader("t", Map.of("parse.headers", "true", "parse.key", "true"));
        ProducerRecord<byte[], byte[]> r = reader.parse("h1:v1,h2:v2\tkey\tvalue", 1);
        Header[] headers = r.headers().toArray();
        assertEquals(2, headers.length);
        assertEquals("h1", headers[0].key());
        assertEquals("v1", s(headers[0].value()));
        assertEquals("h2", headers[1].key());
        assertEquals("key", s(r.key()));
        assertEquals("value", s(r.value()));
    }

    @Test
    void nullMarkerMakesNulls() {
        LineRecordReader reader = new LineRecordReader("t", Map.of("parse.key", "true", "parse.headers", "true",
                "null.marker", "<null>"));
        ProducerRecord<byte[], byte[]> r = reader.parse("h:<null>\t<null>\t<null>", 1);
        assertNull(r.key());
        assertNull(r.value());
        assertNull(r.headers().lastHeader("h").value());
    }

    @Test
    void conflictingSeparatorsAreRejected() {
        assertEquals("headers.delimiter and headers.separator may not be equal",
                assertThrows(IllegalArgumentException.class, () -> new LineRecordReader("t",
                        Map.of("headers.delimiter", ",", "headers.separator", ","))).getMessage());
        assertEquals("null.marker and key.separator may not be equal",
                assertThrows(IllegalArgumentException.class, () -> new LineRecordReader("t",
                        Map.of("null.marker", "\t"))).getMessage());
    }

    @Property
    void keyAndValueRoundTrip(@ForAll String key, @ForAll String value) {
        Assume.that(!key.contains("\t") && !key.contains("\n") && !value.contains("\n"));
        ProducerRecord<byte[], byte[]> r = new LineRecordReader("t", Map.of("parse.key", "true"))
                .parse(key + "\t" + value, 1);
        assertArrayEquals(key.getBytes(StandardCharsets.UTF_8), r.key());
        assertArrayEquals(value.getBytes(StandardCharsets.UTF_8), r.value());
    }
}
