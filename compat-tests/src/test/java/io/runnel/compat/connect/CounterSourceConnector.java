package io.runnel.compat.connect;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * A source connector written for this test (Apache Kafka's {@code connect-file} is not on Maven Central here): one
 * task that writes the numbers 0, 1, 2, ... to the topic named by {@value #TOPIC_CONFIG}, one record every
 * {@value #INTERVAL_CONFIG} milliseconds, keyed by the task's run id (new on every task start), and commits
 * {@code {"next": n}} as its source offset so that a restarted task resumes instead of starting again at 0.
 *
 * <p>Connect finds it on the classpath (no {@code plugin.path}) through
 * {@code META-INF/services/org.apache.kafka.connect.source.SourceConnector}.
 */
public final class CounterSourceConnector extends SourceConnector {

    /** The topic the numbers go to. */
    public static final String TOPIC_CONFIG = "topic";
    /** Milliseconds between two records (default 50). */
    public static final String INTERVAL_CONFIG = "interval.ms";

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(TOPIC_CONFIG, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    ConfigDef.Importance.HIGH, "The topic the counter's records go to.")
            .define(INTERVAL_CONFIG, ConfigDef.Type.LONG, 50L, ConfigDef.Range.atLeast(1),
                    ConfigDef.Importance.LOW, "Milliseconds between two records.");

    private Map<String, String> props;

    /** Creates the connector; Connect calls this reflectively. */
    public CounterSourceConnector() {
    }

    @Override
    public String version() {
        return "1.0";
    }

    @Override
    public void start(Map<String, String> props) {
        CONFIG.parse(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return CounterSourceTask.class;
    }

    /** Always one task: the counter has one source partition. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props);
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return CONFIG;
    }
}
