package io.runnel.cli.topics;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which topics a {@code --topic} value selects for {@code --list}, {@code --describe}, {@code --alter} and
 * {@code --delete}. As in Kafka's tool the value is a Java regular expression that must match the whole name; a
 * comma separates alternatives ({@code a,b} is {@code a|b}), blanks are ignored and surrounding quotes are dropped.
 * Internal topics are left out when {@code --exclude-internal} is given.
 */
final class TopicFilter {

    private final Pattern pattern;

    private TopicFilter(Pattern pattern) {
        this.pattern = pattern;
    }

    /**
     * @param topicOption the {@code --topic} value, or null to select every topic
     * @return the filter
     * @throws IllegalArgumentException when the value is not a valid regular expression
     */
    static TopicFilter of(String topicOption) {
        if (topicOption == null) {
            return new TopicFilter(null);
        }
        String regex = topicOption.trim()
                .replace(',', '|')
                .replace(" ", "")
                .replaceAll("^[\"']+", "")
                .replaceAll("[\"']+$", "");
        try {
            return new TopicFilter(Pattern.compile(regex));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid --topic '" + topicOption + "': not a regular expression ("
                    + e.getDescription() + ")");
        }
    }

    /**
     * @param topic a topic name
     * @param internal whether it is an internal topic
     * @param excludeInternal whether {@code --exclude-internal} was given
     * @return whether the topic is selected
     */
    boolean allows(String topic, boolean internal, boolean excludeInternal) {
        if (internal && excludeInternal) {
            return false;
        }
        return pattern == null || pattern.matcher(topic).matches();
    }
}
