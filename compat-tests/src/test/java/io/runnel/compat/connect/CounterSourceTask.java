package io.runnel.compat.connect;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/**
 * The task of {@link CounterSourceConnector}: emits one record per poll, value {@code n} (a long), key the run id of
 * this task instance, source partition {@code {"counter": <topic>}}, source offset {@code {"next": n + 1}}. On start
 * it reads the committed offset through the task's {@code OffsetStorageReader} (Connect's offset topic) and
 * continues from there.
 */
public final class CounterSourceTask extends SourceTask {

    private String topic;
    private long intervalMs;
    private Map<String, String> partition;
    private String runId;
    private long next;

    /** Creates the task; Connect calls this reflectively. */
    public CounterSourceTask() {
    }

    @Override
    public String version() {
        return "1.0";
    }

    @Override
    public void start(Map<String, String> props) {
        topic = props.get(CounterSourceConnector.TOPIC_CONFIG);
        intervalMs = Long.parseLong(props.getOrDefault(CounterSourceConnector.INTERVAL_CONFIG, "50"));
        partition = Map.of("counter", topic);
        runId = UUID.randomUUID().toString();
        Map<String, Object> committed = context.offsetStorageReader().offset(partition);
        Object stored = committed == null ? null : committed.get("next");
        next = stored instanceof Number n ? n.longValue() : 0L;
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        Thread.sleep(intervalMs);
        long n = next++;
        return List.of(new SourceRecord(partition, Map.of("next", n + 1), topic, null,
                Schema.STRING_SCHEMA, runId, Schema.INT64_SCHEMA, n));
    }

    @Override
    public void stop() {
    }
}
