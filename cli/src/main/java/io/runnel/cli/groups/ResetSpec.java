package io.runnel.cli.groups;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * How {@code --reset-offsets} picks the new offsets (Kafka's reset scenarios; exactly one is given).
 *
 * @param kind  the scenario
 * @param value {@code --to-offset}'s offset, {@code --shift-by}'s shift, or the timestamp (epoch ms) of
 *              {@code --to-datetime} / {@code --by-duration}; 0 for the others
 */
record ResetSpec(Kind kind, long value) {

    /** The scenarios, with their flags. */
    enum Kind {
        TO_EARLIEST("--to-earliest"), TO_LATEST("--to-latest"), TO_CURRENT("--to-current"),
        TO_OFFSET("--to-offset"), SHIFT_BY("--shift-by"), TO_DATETIME("--to-datetime"),
        BY_DURATION("--by-duration");

        final String flag;

        Kind(String flag) {
            this.flag = flag;
        }
    }

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS]");
    private static final DateTimeFormatter ZONED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS]XXX");

    /**
     * Kafka's {@code --to-datetime} format {@code YYYY-MM-DDTHH:mm:SS.sss}, optionally with a zone ({@code Z},
     * {@code +01:00}); without one, the local time zone.
     *
     * @return epoch milliseconds
     * @throws IllegalArgumentException naming the expected format
     */
    static long parseDateTime(String text, ZoneId localZone) {
        try {
            return OffsetDateTime.parse(text, ZONED).toInstant().toEpochMilli();
        } catch (DateTimeParseException zoned) {
            try {
                return LocalDateTime.parse(text, LOCAL).atZone(localZone).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("Error parsing date '" + text + "' for --to-datetime: expected "
                        + "'YYYY-MM-DDTHH:mm:SS.sss', optionally followed by a time zone such as Z or +01:00");
            }
        }
    }

    /**
     * Kafka's {@code --by-duration} format {@code PnDTnHnMnS} (ISO-8601).
     *
     * @return the timestamp that long before {@code nowMs}
     * @throws IllegalArgumentException naming the expected format
     */
    static long parseDuration(String text, long nowMs) {
        try {
            Duration d = Duration.parse(text);
            if (d.isNegative()) {
                throw new IllegalArgumentException("--by-duration must not be negative: " + text);
            }
            return nowMs - d.toMillis();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Error parsing duration '" + text + "' for --by-duration: expected "
                    + "'PnDTnHnMnS', e.g. PT1H30M");
        }
    }
}
