package io.runnel.cli.topics;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * The broker operations {@code runnel topics} needs, each one blocking until the broker answered. The real
 * implementation ({@link AdminTopicAdmin}) runs them on a kafka-clients {@code Admin}; tests substitute a fake.
 * Failures are thrown as kafka-clients throws them (e.g. {@code TopicExistsException}, {@code TimeoutException}),
 * unwrapped from their futures.
 */
public interface TopicAdmin extends AutoCloseable {

    /**
     * @param includeInternal whether internal topics such as {@code __consumer_offsets} are listed
     * @return every topic's name mapped to whether it is internal
     */
    Map<String, Boolean> listTopics(boolean includeInternal);

    /**
     * @param names existing topics
     * @return each topic's partitions, replicas, ISR and topic id, by name
     */
    Map<String, TopicDescription> describeTopics(Collection<String> names);

    /**
     * @param names existing topics
     * @return each topic's configuration entries (defaults included, flagged by their source), by name
     */
    Map<String, Config> describeConfigs(Collection<String> names);

    /** @return the ids of the brokers the cluster currently reports as alive */
    Set<Integer> liveBrokerIds();

    /** Creates one topic; partitions and replication factor left empty take the broker's defaults. */
    void createTopic(NewTopic topic);

    /** @param totalCounts topic name to its new total partition count (only increases are possible) */
    void createPartitions(Map<String, Integer> totalCounts);

    /**
     * Raises partition counts placing the new partitions by hand (KIP-195).
     *
     * @param totalCounts topic name to its new total partition count
     * @param assignments topic name to one replica list (broker ids, preferred leader first) per new partition
     */
    void createPartitions(Map<String, Integer> totalCounts, Map<String, List<List<Integer>>> assignments);

    /** @param updates topic name to the config entries to set on it */
    void alterConfigs(Map<String, Map<String, String>> updates);

    /** Deletes the topics (their data goes with them). */
    void deleteTopics(Collection<String> names);

    /** Releases the connection; never throws. */
    @Override
    void close();
}
