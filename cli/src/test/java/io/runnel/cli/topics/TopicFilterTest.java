package io.runnel.cli.topics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code --topic} selection: whole-name regex, commas as alternatives, quotes and blanks dropped. */
class TopicFilterTest {

    @Test
    void noTopicSelectsEverythingButExcludedInternals() {
        TopicFilter all = TopicFilter.of(null);
        assertTrue(all.allows("x", false, true));
        assertTrue(all.allows("__consumer_offsets", true, false));
        assertFalse(all.allows("__consumer_offsets", true, true));
    }

    @Test
    void theRegexMustMatchTheWholeName() {
        TopicFilter f = TopicFilter.of("events");
        assertTrue(f.allows("events", false, false));
        assertFalse(f.allows("events-2", false, false));
        assertFalse(f.allows("my-events", false, false));
    }

    @Test
    void commasQuotesAndBlanksAreTreatedAsKafkaDoes() {
        TopicFilter f = TopicFilter.of("'a, b.*'");
        assertTrue(f.allows("a", false, false));
        assertTrue(f.allows("b-1", false, false));
        assertFalse(f.allows("c", false, false));
    }

    @Test
    void aBrokenRegexIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> TopicFilter.of("[x"));
    }
}
