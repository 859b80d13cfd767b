package io.runnel.broker.group;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real KafkaConsumer in group management, polling on its own thread (the consumer is single-threaded). It records
 * every assignment it is given with its generation, and every record it consumes. {@link #close()} leaves the group;
 * {@link #crash()} stops without LeaveGroup and without heartbeats, as a killed process would.
 */
final class ConsumerThread implements AutoCloseable {
    /** One assignment as seen in {@code onPartitionsAssigned}: the consumer's whole assignment afterwards. */
    record Ownership(int generation, String memberId, Set<TopicPartition> partitions) {
    }

    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private final List<Ownership> log;
    private final List<ConsumerRecord<String, String>> consumed = new CopyOnWriteArrayList<>();
    private volatile Set<TopicPartition> assignment = Set.of();
    private volatile boolean stop;
    private volatile boolean leave = true;
    private volatile boolean commitEachPoll;

    ConsumerThread(String bootstrap, String group, String topic, String clientId, Map<String, Object> extra,
                   List<Ownership> sharedLog) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.putAll(extra);
        this.consumer = new KafkaConsumer<>(p);
        this.log = sharedLog;
        this.thread = new Thread(() -> run(topic), "consumer-" + clientId);
        thread.setDaemon(true);
    }

    ConsumerThread start() {
        thread.start();
        return this;
    }

    /** Commit synchronously after every poll that returned records. */
    ConsumerThread committing() {
        commitEachPoll = true;
        return this;
    }

    private void run(String topic) {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    assignment = Set.copyOf(consumer.assignment());
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    Set<TopicPartition> now = Set.copyOf(consumer.assignment());
                    assignment = now;
                    log.add(new Ownership(consumer.groupMetadata().generationId(),
                            consumer.groupMetadata().memberId(), now));
                }
            });
            while (!stop) {
                var records = consumer.poll(Duration.ofMillis(100));
                records.forEach(consumed::add);
                if (commitEachPoll && !records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        } finally {
            consumer.close(CloseOptions.groupMembershipOperation(leave
                    ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
                    : CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP).withTimeout(Duration.ofSeconds(10)));
        }
    }

    /** The partitions the consumer owns now. */
    Set<TopicPartition> assignment() {
        return assignment;
    }

    /** Partition numbers owned now, sorted. */
    Set<Integer> partitions() {
        Set<Integer> out = new TreeSet<>();
        assignment.forEach(tp -> out.add(tp.partition()));
        return out;
    }

    List<ConsumerRecord<String, String>> consumed() {
        return consumed;
    }

    /** Stops without leaving the group (no LeaveGroup, heartbeats stop): the coordinator must time it out. */
    void crash() throws InterruptedException {
        leave = false;
        stopAndJoin();
    }

    @Override
    public void close() throws InterruptedException {
        stopAndJoin();
    }

    private void stopAndJoin() throws InterruptedException {
        stop = true;
        if (thread.getState() == Thread.State.NEW) {
            consumer.close();
        } else if (thread.isAlive()) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
    }
}
