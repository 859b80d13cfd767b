package io.runnel.cli.transactions;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AbortTransactionResult;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersOptions;
import org.apache.kafka.clients.admin.DescribeProducersResult;
import org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState;
import org.apache.kafka.clients.admin.DescribeTopicsResult;
import org.apache.kafka.clients.admin.DescribeTransactionsResult;
import org.apache.kafka.clients.admin.ListTopicsResult;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ListTransactionsResult;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TopicListing;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.internals.CoordinatorKey;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.apache.kafka.common.internals.KafkaFutureImpl;

/**
 * An {@link Admin} (a dynamic proxy) answering the calls the {@code transactions} subcommands make from maps a test
 * fills, and recording what it was asked. kafka-clients' result classes have package-private constructors, so they are
 * built reflectively. Any other call throws {@link UnsupportedOperationException}.
 */
final class FakeTransactionAdmin {
    final Map<TopicPartition, List<ProducerState>> producers = new HashMap<>();
    final Map<TopicPartition, Throwable> producerErrors = new HashMap<>();
    final Map<Integer, List<TransactionListing>> listings = new HashMap<>();
    final Map<String, TransactionDescription> descriptions = new HashMap<>();
    final Map<String, TopicDescription> topics = new LinkedHashMap<>();

    final List<AbortTransactionSpec> aborted = new ArrayList<>();
    final List<Collection<TopicPartition>> describedPartitions = new ArrayList<>();
    final List<DescribeProducersOptions> producerOptions = new ArrayList<>();
    final List<ListTransactionsOptions> listOptions = new ArrayList<>();

    /** @param props ignored (the signature of the commands' Admin factories) */
    Admin admin(Properties props) {
        return (Admin) Proxy.newProxyInstance(Admin.class.getClassLoader(), new Class<?>[] {Admin.class},
                (proxy, method, args) -> call(method, args == null ? new Object[0] : args));
    }

    @SuppressWarnings("unchecked")
    private Object call(Method method, Object[] args) throws Exception {
        switch (method.getName()) {
            case "close":
                return null;
            case "describeProducers": {
                Collection<TopicPartition> asked = (Collection<TopicPartition>) args[0];
                describedPartitions.add(List.copyOf(asked));
                producerOptions.add(args.length > 1 ? (DescribeProducersOptions) args[1]
                        : new DescribeProducersOptions());
                Map<TopicPartition, KafkaFuture<PartitionProducerState>> futures = new LinkedHashMap<>();
                for (TopicPartition tp : asked) {
                    KafkaFutureImpl<PartitionProducerState> f = new KafkaFutureImpl<>();
                    if (producerErrors.containsKey(tp)) {
                        f.completeExceptionally(producerErrors.get(tp));
                    } else {
                        f.complete(new PartitionProducerState(producers.getOrDefault(tp, List.of())));
                    }
                    futures.put(tp, f);
                }
                return construct(DescribeProducersResult.class, futures);
            }
            case "describeTransactions": {
                Map<CoordinatorKey, KafkaFuture<TransactionDescription>> futures = new LinkedHashMap<>();
                for (String id : (Collection<String>) args[0]) {
                    TransactionDescription d = descriptions.get(id);
                    futures.put(CoordinatorKey.byTransactionalId(id), d != null ? KafkaFuture.completedFuture(d)
                            : failed(new TransactionalIdNotFoundException("No transactional id " + id)));
                }
                return construct(DescribeTransactionsResult.class, futures);
            }
            case "listTransactions": {
                ListTransactionsOptions options = args.length > 0 ? (ListTransactionsOptions) args[0]
                        : new ListTransactionsOptions();
                listOptions.add(options);
                Map<Integer, KafkaFutureImpl<Collection<TransactionListing>>> byBroker = new HashMap<>();
                listings.forEach((broker, ls) -> {
                    KafkaFutureImpl<Collection<TransactionListing>> f = new KafkaFutureImpl<>();
                    f.complete(ls.stream().filter(l -> options.filteredProducerIds().isEmpty()
                            || options.filteredProducerIds().contains(l.producerId())).toList());
                    byBroker.put(broker, f);
                });
                return construct(ListTransactionsResult.class, KafkaFuture.completedFuture(byBroker));
            }
            case "abortTransaction": {
                AbortTransactionSpec spec = (AbortTransactionSpec) args[0];
                aborted.add(spec);
                return construct(AbortTransactionResult.class,
                        Map.of(spec.topicPartition(), KafkaFuture.completedFuture(null)));
            }
            case "listTopics": {
                Map<String, TopicListing> names = new LinkedHashMap<>();
                topics.forEach((name, d) -> names.put(name, new TopicListing(name, d.topicId(), d.isInternal())));
                return construct(ListTopicsResult.class, KafkaFuture.completedFuture(names));
            }
            case "describeTopics": {
                Collection<String> names = args[0] instanceof TopicCollection.TopicNameCollection c
                        ? c.topicNames() : (Collection<String>) args[0];
                Map<String, KafkaFuture<TopicDescription>> futures = new LinkedHashMap<>();
                for (String name : names) {
                    futures.put(name, KafkaFuture.completedFuture(topics.get(name)));
                }
                Method of = DescribeTopicsResult.class.getDeclaredMethod("ofTopicNames", Map.class);
                of.setAccessible(true);
                return of.invoke(null, futures);
            }
            default:
                throw new UnsupportedOperationException(method.getName());
        }
    }

    private static <T> KafkaFuture<T> failed(Throwable t) {
        KafkaFutureImpl<T> f = new KafkaFutureImpl<>();
        f.completeExceptionally(t);
        return f;
    }

    private static <T> T construct(Class<T> type, Object arg) throws Exception {
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (c.getParameterCount() == 1) {
                c.setAccessible(true);
                return type.cast(c.newInstance(arg));
            }
        }
        throw new IllegalStateException("no one-argument constructor in " + type);
    }
}
