package io.runnel.cli.transactions;

import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.common.TopicPartition;

/**
 * A transaction a partition's leader (or the replica asked) holds open: a producer whose state has a
 * {@code currentTransactionStartOffset}.
 *
 * @param topicPartition the partition
 * @param producer the producer's state there, as DescribeProducers reported it
 */
record OpenTransaction(TopicPartition topicPartition, ProducerState producer) {}
