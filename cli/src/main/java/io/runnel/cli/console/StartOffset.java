package io.runnel.cli.console;

import java.util.Locale;

/**
 * Where {@code console-consumer} starts reading a partition it was assigned: the earliest offset, the latest
 * (the end: only records produced from now on), or an exact offset.
 *
 * @param kind which of the three
 * @param offset the exact offset for {@link Kind#EXACT}, else unused (-1)
 */
record StartOffset(Kind kind, long offset) {

    /** The three kinds of start position. */
    enum Kind { EARLIEST, LATEST, EXACT }

    static final StartOffset EARLIEST = new StartOffset(Kind.EARLIEST, -1);
    static final StartOffset LATEST = new StartOffset(Kind.LATEST, -1);

    /**
     * Parses an {@code --offset} value as Kafka's tool does.
     *
     * @param text {@code earliest}, {@code latest} (any case) or a non-negative offset
     * @return the start position
     * @throws IllegalArgumentException with Kafka's message for anything else
     */
    static StartOffset parse(String text) {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "earliest":
                return EARLIEST;
            case "latest":
                return LATEST;
            default:
                try {
                    long n = Long.parseLong(text);
                    if (n >= 0) {
                        return new StartOffset(Kind.EXACT, n);
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                throw new IllegalArgumentException("The provided offset value '" + text + "' is incorrect. Valid "
                        + "values are 'earliest', 'latest', or a non-negative long.");
        }
    }
}
