package io.runnel.cli.client;

/**
 * Keeps kafka-clients' own log lines (e.g. the repeated "Connection to node -1 could not be established" warnings)
 * off stderr, where every CLI failure must be one line. With {@code --verbose} their warnings are shown. An explicit
 * {@code -Dorg.slf4j.simpleLogger.log.org.apache.kafka=...} (via {@code RUNNEL_OPTS}) always wins.
 */
public final class KafkaLogging {

    /** The slf4j-simple system property that sets the level of every {@code org.apache.kafka} logger. */
    static final String LEVEL_PROPERTY = "org.slf4j.simpleLogger.log.org.apache.kafka";

    private KafkaLogging() {}

    /**
     * Must run before the first kafka-clients object is created (slf4j-simple fixes a logger's level when it is made).
     *
     * @param verbose whether {@code --verbose} was given
     */
    public static void configure(boolean verbose) {
        if (System.getProperty(LEVEL_PROPERTY) == null) {
            System.setProperty(LEVEL_PROPERTY, verbose ? "warn" : "off");
        }
    }
}
