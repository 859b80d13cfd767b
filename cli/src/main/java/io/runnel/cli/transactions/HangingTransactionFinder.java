package io.runnel.cli.transactions;

import io.runnel.cli.client.BootstrapServers;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersOptions;
import org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState;
import org.apache.kafka.clients.admin.DescribeTransactionsResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;

/**
 * Kafka's search for hanging transactions, on an Admin client:
 * <ol>
 *   <li>the partitions to search: the one given, a topic's, or every partition (internal topics included) with a
 *       replica on the given broker (ListTopics, DescribeTopics);</li>
 *   <li>their open transactions whose producer last wrote longer ago than the maximum transaction timeout
 *       (DescribeProducers, sent to the given broker or else the leaders, at most {@value #MAX_BATCH_SIZE}
 *       partitions a request);</li>
 *   <li>the transactional ids of those producers (ListTransactions filtered on the producer ids) and their state at
 *       the coordinator (DescribeTransactions).</li>
 * </ol>
 * A candidate hangs when no transactional id has its producer id, when the coordinator does not know that id, or when
 * the coordinator's transaction does not include the partition (so it will never write a marker there).
 */
final class HangingTransactionFinder {

    /** The most topics or partitions one DescribeTopics or DescribeProducers request carries, as in Kafka. */
    static final int MAX_BATCH_SIZE = 500;

    private final Admin admin;
    private final BootstrapServers servers;
    private final LongSupplier clockMs;

    /**
     * @param admin the open Admin client
     * @param servers the bootstrap list, for error messages
     * @param clockMs the current time in epoch ms
     */
    HangingTransactionFinder(Admin admin, BootstrapServers servers, LongSupplier clockMs) {
        this.admin = admin;
        this.servers = servers;
        this.clockMs = clockMs;
    }

    /**
     * @param brokerId the broker whose replicas to search, or null for the leaders of the topic's partitions
     * @param topic the topic to search, or null for every topic (then {@code brokerId} is set)
     * @param partition with {@code topic}: only this partition, or null
     * @param maxTransactionTimeoutMs transactions whose producer wrote within this many ms are not candidates
     * @return the hanging transactions
     * @throws io.runnel.cli.CliException when a call failed
     */
    List<OpenTransaction> find(Integer brokerId, String topic, Integer partition, long maxTransactionTimeoutMs) {
        List<TopicPartition> partitions = partitionsToSearch(brokerId, topic, partition);
        List<OpenTransaction> candidates = new ArrayList<>();
        DescribeProducersOptions options = new DescribeProducersOptions();
        if (brokerId != null) {
            options.brokerId(brokerId);
        }
        for (List<TopicPartition> batch : batches(partitions)) {
            Map<TopicPartition, PartitionProducerState> states = TransactionFailures.await(
                    admin.describeProducers(batch, options).all(), "Failed to describe producers for "
                            + batch.size() + " partitions on " + (brokerId == null ? "the leaders" : "broker "
                            + brokerId), servers);
            candidates.addAll(candidates(states, maxTransactionTimeoutMs, clockMs.getAsLong()));
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        Set<Long> producerIds = new HashSet<>();
        candidates.forEach(c -> producerIds.add(c.producer().producerId()));
        Map<Long, String> transactionalIds = transactionalIds(producerIds);
        return hanging(candidates, transactionalIds, describe(new HashSet<>(transactionalIds.values())));
    }

    /**
     * The open transactions among {@code states} whose producer last wrote more than {@code maxTimeoutMs} ago.
     *
     * @param states DescribeProducers' answer per partition
     * @param maxTimeoutMs the maximum transaction timeout
     * @param nowMs the current time in epoch ms
     */
    static List<OpenTransaction> candidates(Map<TopicPartition, PartitionProducerState> states, long maxTimeoutMs,
                                            long nowMs) {
        List<OpenTransaction> open = new ArrayList<>();
        states.forEach((tp, state) -> {
            for (ProducerState p : state.activeProducers()) {
                if (p.currentTransactionStartOffset().isPresent() && nowMs - p.lastTimestamp() > maxTimeoutMs) {
                    open.add(new OpenTransaction(tp, p));
                }
            }
        });
        return open;
    }

    /**
     * The candidates the coordinators will not finish: see the class comment.
     *
     * @param candidates open transactions older than the maximum timeout
     * @param transactionalIds producer id to transactional id, as ListTransactions reported
     * @param descriptions the coordinators' descriptions; a null value: the coordinator does not know the id
     */
    static List<OpenTransaction> hanging(List<OpenTransaction> candidates, Map<Long, String> transactionalIds,
                                         Map<String, TransactionDescription> descriptions) {
        List<OpenTransaction> hanging = new ArrayList<>();
        for (OpenTransaction c : candidates) {
            String id = transactionalIds.get(c.producer().producerId());
            TransactionDescription d = id == null ? null : descriptions.get(id);
            if (d == null || !d.topicPartitions().contains(c.topicPartition())) {
                hanging.add(c);
            }
        }
        return hanging;
    }

    private List<TopicPartition> partitionsToSearch(Integer brokerId, String topic, Integer partition) {
        if (topic != null && partition != null) {
            return List.of(new TopicPartition(topic, partition));
        }
        List<String> topics = topic != null ? List.of(topic) : new ArrayList<>(TransactionFailures.await(
                admin.listTopics(new ListTopicsOptions().listInternal(true)).names(), "Failed to list topics",
                servers));
        List<TopicPartition> partitions = new ArrayList<>();
        for (List<String> batch : batches(topics)) {
            Map<String, TopicDescription> described = TransactionFailures.await(
                    admin.describeTopics(batch).allTopicNames(), "Failed to describe " + batch.size() + " topics",
                    servers);
            described.forEach((name, description) -> description.partitions().forEach(info -> {
                if (brokerId == null || info.replicas().stream().anyMatch(n -> n.id() == brokerId)) {
                    partitions.add(new TopicPartition(name, info.partition()));
                }
            }));
        }
        return partitions;
    }

    private Map<Long, String> transactionalIds(Set<Long> producerIds) {
        Collection<TransactionListing> listings = TransactionFailures.await(
                admin.listTransactions(new ListTransactionsOptions().filterProducerIds(producerIds)).all(),
                "Failed to list transactions for " + producerIds.size() + " producers", servers);
        Map<Long, String> ids = new HashMap<>();
        for (TransactionListing l : listings) {
            if (producerIds.contains(l.producerId())) {
                ids.put(l.producerId(), l.transactionalId());
            }
        }
        return ids;
    }

    private Map<String, TransactionDescription> describe(Set<String> transactionalIds) {
        Map<String, TransactionDescription> descriptions = new LinkedHashMap<>();
        if (transactionalIds.isEmpty()) {
            return descriptions;
        }
        DescribeTransactionsResult result = admin.describeTransactions(transactionalIds);
        for (String id : transactionalIds) {
            try {
                descriptions.put(id, result.description(id).get());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TransactionalIdNotFoundException)) {
                    throw TransactionFailures.describe("Failed to describe " + transactionalIds.size()
                            + " transactions", e, servers);
                }
                descriptions.put(id, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new io.runnel.cli.CliException("interrupted", e);
            }
        }
        return descriptions;
    }

    private static <T> List<List<T>> batches(List<T> list) {
        List<List<T>> batches = new ArrayList<>();
        for (int i = 0; i < list.size(); i += MAX_BATCH_SIZE) {
            batches.add(list.subList(i, Math.min(list.size(), i + MAX_BATCH_SIZE)));
        }
        return batches;
    }
}
