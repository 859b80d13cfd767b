package io.runnel.cli.console;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Turns one line of {@code console-producer} input into a record, with the reader properties of Kafka's
 * console producer ({@code --property} / {@code --reader-property}):
 * <pre>
 *   parse.key=false            the line starts with a key, ended by key.separator
 *   key.separator=\t           what separates the key from the value
 *   parse.headers=false        the line starts with headers h1:v1,h2:v2 ended by headers.delimiter
 *   headers.delimiter=\t       what ends the headers
 *   headers.separator=,        what separates two headers (a regular expression)
 *   headers.key.separator=:    what separates a header's key from its value
 *   ignore.error=false         a line missing a separator becomes a value-only record instead of an error
 *   null.marker=(none)         a key, value or header value equal to this is sent as null
 * </pre>
 * With both, a line is {@code h1:v1,h2:v2<TAB>key<TAB>value}. Text is encoded as UTF-8.
 */
final class LineRecordReader {

    private final String topic;
    private final boolean parseKey;
    private final String keySeparator;
    private final boolean parseHeaders;
    private final String headersDelimiter;
    private final Pattern headersSeparator;
    private final String headersKeySeparator;
    private final boolean ignoreError;
    private final String nullMarker;

    /**
     * @param topic the topic every record goes to
     * @param props reader properties, as listed in the class comment; unknown keys are ignored
     * @throws IllegalArgumentException when two separators, or a separator and the null marker, are equal
     */
    LineRecordReader(String topic, Map<String, String> props) {
        this.topic = topic;
        this.parseKey = isTrue(props.get("parse.key"));
        this.keySeparator = props.getOrDefault("key.separator", "\t");
        this.parseHeaders = isTrue(props.get("parse.headers"));
        this.headersDelimiter = props.getOrDefault("headers.delimiter", "\t");
        String separator = props.getOrDefault("headers.separator", ",");
        this.headersSeparator = Pattern.compile(separator);
        this.headersKeySeparator = props.getOrDefault("headers.key.separator", ":");
        this.ignoreError = isTrue(props.get("ignore.error"));
        this.nullMarker = props.get("null.marker");
        distinct("headers.delimiter", headersDelimiter, "headers.separator", separator);
        distinct("headers.delimiter", headersDelimiter, "headers.key.separator", headersKeySeparator);
        distinct("headers.separator", separator, "headers.key.separator", headersKeySeparator);
        if (nullMarker != null) {
            distinct("null.marker", nullMarker, "key.separator", keySeparator);
            distinct("null.marker", nullMarker, "headers.separator", separator);
            distinct("null.marker", nullMarker, "headers.delimiter", headersDelimiter);
            distinct("null.marker", nullMarker, "headers.key.separator", headersKeySeparator);
        }
    }

    /**
     * @param line one input line, without its terminator
     * @param lineNumber its 1-based number, for error messages
     * @return the record for the line
     * @throws IllegalArgumentException e.g. {@code No key separator found on line number 3: 'abc'}
     */
    ProducerRecord<byte[], byte[]> parse(String line, int lineNumber) {
        int at = 0;
        String headers = null;
        if (parseHeaders) {
            headers = prefix(line, at, headersDelimiter, "headers delimiter", lineNumber);
            at = headers == null ? at : headers.length() + headersDelimiter.length();
        }
        String key = null;
        if (parseKey) {
            key = prefix(line, at, keySeparator, "key separator", lineNumber);
            at = key == null ? at : at + key.length() + keySeparator.length();
        }
        String value = line.substring(at);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, bytesOrNull(key), bytesOrNull(value));
        if (headers != null && !headers.equals(nullMarker)) {
            addHeaders(record, headers, lineNumber);
        }
        return record;
    }

    /** The text from {@code from} up to {@code separator}; null when absent and errors are ignored. */
    private String prefix(String line, int from, String separator, String name, int lineNumber) {
        int end = line.indexOf(separator, from);
        if (end < 0) {
            if (ignoreError) {
                return null;
            }
            throw new IllegalArgumentException("No " + name + " found on line number " + lineNumber + ": '"
                    + line + "'");
        }
        return line.substring(from, end);
    }

    private void addHeaders(ProducerRecord<byte[], byte[]> record, String headers, int lineNumber) {
        for (String pair : headersSeparator.split(headers)) {
            int sep = pair.indexOf(headersKeySeparator);
            if (sep < 0) {
                if (!ignoreError) {
                    throw new IllegalArgumentException("No header key separator found in pair '" + pair
                            + "' on line number " + lineNumber);
                }
                record.headers().add(pair, null);
                continue;
            }
            String key = pair.substring(0, sep);
            if (key.equals(nullMarker)) {
                throw new IllegalArgumentException("Header keys should not be equal to the null marker '"
                        + nullMarker + "' as they can't be null");
            }
            record.headers().add(key, bytesOrNull(pair.substring(sep + headersKeySeparator.length())));
        }
    }

    private byte[] bytesOrNull(String text) {
        return text == null || text.equals(nullMarker) ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean isTrue(String value) {
        return value != null && value.trim().equalsIgnoreCase("true");
    }

    private static void distinct(String nameA, String a, String nameB, String b) {
        if (a.equals(b)) {
            throw new IllegalArgumentException(nameA + " and " + nameB + " may not be equal");
        }
    }
}
