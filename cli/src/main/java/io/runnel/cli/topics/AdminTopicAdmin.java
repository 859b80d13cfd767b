package io.runnel.cli.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DeleteTopicsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TopicListing;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.config.ConfigResource;

import static io.runnel.cli.client.AdminFutures.await;

/**
 * {@link TopicAdmin} on a kafka-clients {@link Admin}. Each call waits for its future; the Admin's
 * {@code default.api.timeout.ms} bounds the wait. Quota-violation retries are off, as in Kafka's TopicCommand.
 */
final class AdminTopicAdmin implements TopicAdmin {

    /** Partitions per DescribeTopicPartitions response, as Kafka's tool asks for; unused against brokers without it. */
    private static final int PARTITIONS_PER_RESPONSE = 2000;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Admin admin;

    /** @param admin the client to use; closed by {@link #close()} */
    AdminTopicAdmin(Admin admin) {
        this.admin = admin;
    }

    @Override
    public Map<String, Boolean> listTopics(boolean includeInternal) {
        Collection<TopicListing> listings = await(admin.listTopics(
                new ListTopicsOptions().listInternal(includeInternal)).listings());
        Map<String, Boolean> names = new HashMap<>();
        for (TopicListing listing : listings) {
            names.put(listing.name(), listing.isInternal());
        }
        return names;
    }

    @Override
    public Map<String, TopicDescription> describeTopics(Collection<String> names) {
        return await(admin.describeTopics(TopicCollection.ofTopicNames(names),
                new DescribeTopicsOptions().partitionSizeLimitPerResponse(PARTITIONS_PER_RESPONSE)).allTopicNames());
    }

    @Override
    public Map<String, Config> describeConfigs(Collection<String> names) {
        List<ConfigResource> resources = names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n))
                .collect(Collectors.toList());
        Map<ConfigResource, Config> configs = await(admin.describeConfigs(resources).all());
        Map<String, Config> byName = new HashMap<>();
        configs.forEach((resource, config) -> byName.put(resource.name(), config));
        return byName;
    }

    @Override
    public Set<Integer> liveBrokerIds() {
        return await(admin.describeCluster().nodes()).stream().map(Node::id).collect(Collectors.toSet());
    }

    @Override
    public void createTopic(NewTopic topic) {
        await(admin.createTopics(List.of(topic), new CreateTopicsOptions().retryOnQuotaViolation(false)).all());
    }

    @Override
    public void createPartitions(Map<String, Integer> totalCounts) {
        Map<String, NewPartitions> increases = new HashMap<>();
        totalCounts.forEach((topic, count) -> increases.put(topic, NewPartitions.increaseTo(count)));
        await(admin.createPartitions(increases, new CreatePartitionsOptions().retryOnQuotaViolation(false)).all());
    }

    @Override
    public void createPartitions(Map<String, Integer> totalCounts, Map<String, List<List<Integer>>> assignments) {
        Map<String, NewPartitions> increases = new HashMap<>();
        totalCounts.forEach((topic, count) -> increases.put(topic, NewPartitions.increaseTo(count,
                assignments.get(topic))));
        await(admin.createPartitions(increases, new CreatePartitionsOptions().retryOnQuotaViolation(false)).all());
    }

    @Override
    public void alterConfigs(Map<String, Map<String, String>> updates) {
        Map<ConfigResource, Collection<AlterConfigOp>> ops = new HashMap<>();
        updates.forEach((topic, entries) -> {
            List<AlterConfigOp> set = new ArrayList<>();
            entries.forEach((k, v) -> set.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
            ops.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), set);
        });
        await(admin.incrementalAlterConfigs(ops).all());
    }

    @Override
    public void deleteTopics(Collection<String> names) {
        await(admin.deleteTopics(List.copyOf(names), new DeleteTopicsOptions().retryOnQuotaViolation(false)).all());
    }

    @Override
    public void close() {
        admin.close(CLOSE_TIMEOUT);
    }
}
