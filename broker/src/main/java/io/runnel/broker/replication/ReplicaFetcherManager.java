package io.runnel.broker.replication;

import io.runnel.broker.replica.FollowerFetching;
import io.runnel.broker.quota.ReplicationQuota;
import io.runnel.broker.replica.Partition;
import io.runnel.metadata.image.BrokerEndpoint;
import io.runnel.metadata.image.BrokerRegistration;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.image.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The replica fetchers of one broker: {@code num.replica.fetchers} threads per leader broker, each fetching many
 * partitions per request (DESIGN.md section 6). After each image the replica manager hands over every partition this
 * broker follows with its leader and leader epoch; a partition whose leader or epoch changed moves to the right
 * fetcher (its next fetch checks divergence against the new leader), one no longer followed is dropped, and a fetcher
 * left without partitions stops. Leaders are reached at their {@code inter.broker.listener.name} endpoint from the
 * image's broker registrations. Thread-safe.
 */
public final class ReplicaFetcherManager implements FollowerFetching {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaFetcherManager.class);

    private record FetcherKey(int leaderId, int fetcherId) {
    }

    private final FetcherSettings settings;
    private final Function<TopicPartition, Partition> partitions;
    private final ReplicationQuota quota;
    private final Map<FetcherKey, ReplicaFetcher> fetchers = new HashMap<>();
    private final Map<TopicPartition, FollowTarget> following = new HashMap<>();
    private boolean closed;

    /** @param partitions looks up the hosted partition replicas (the replica manager's) */
    public ReplicaFetcherManager(FetcherSettings settings, Function<TopicPartition, Partition> partitions) {
        this(settings, partitions, new ReplicationQuota(System::currentTimeMillis));
    }

    /** @param quota the follower side of this broker's replication throttle (KIP-73) */
    public ReplicaFetcherManager(FetcherSettings settings, Function<TopicPartition, Partition> partitions,
                                 ReplicationQuota quota) {
        this.settings = settings;
        this.partitions = partitions;
        this.quota = quota;
    }

    @Override
    public synchronized void follow(MetadataImage image, Map<TopicPartition, FollowTarget> targets) {
        if (closed) {
            return;
        }
        for (TopicPartition tp : List.copyOf(following.keySet())) {
            FollowTarget old = following.get(tp);
            if (!old.equals(targets.get(tp))) {
                fetcherFor(tp, old.leaderId()).unassign(tp);
                following.remove(tp);
            }
        }
        targets.forEach((tp, target) -> {
            if (!target.equals(following.get(tp))) {
                following.put(tp, target);
                fetcherFor(tp, target.leaderId()).assign(tp, target.leaderEpoch());
                LOG.info("{}: following leader {} at epoch {}", tp, target.leaderId(), target.leaderEpoch());
            }
        });
        for (Map.Entry<FetcherKey, ReplicaFetcher> e : List.copyOf(fetchers.entrySet())) {
            ReplicaFetcher fetcher = e.getValue();
            if (fetcher.isIdle()) {
                fetchers.remove(e.getKey());
                fetcher.shutdownAsync();
            } else {
                BrokerEndpoint endpoint = endpoint(image, e.getKey().leaderId());
                fetcher.setEndpoint(endpoint == null ? null : endpoint.host(), endpoint == null ? 0 : endpoint.port());
            }
        }
    }

    private ReplicaFetcher fetcherFor(TopicPartition tp, int leaderId) {
        FetcherKey key = new FetcherKey(leaderId, Math.floorMod(tp.hashCode(), settings.numFetchers()));
        return fetchers.computeIfAbsent(key, k -> {
            ReplicaFetcher f = new ReplicaFetcher(k.leaderId(), k.fetcherId(), settings, partitions, quota);
            f.start();
            return f;
        });
    }

    private BrokerEndpoint endpoint(MetadataImage image, int brokerId) {
        BrokerRegistration b = image.brokers().get(brokerId);
        if (b == null) {
            return null;
        }
        for (BrokerEndpoint e : b.endpoints()) {
            if (e.listenerName().equalsIgnoreCase(settings.listenerName())) {
                return e;
            }
        }
        LOG.warn("Broker {} has no {} listener (inter.broker.listener.name); cannot replicate from it", brokerId,
                settings.listenerName());
        return null;
    }

    /** The partitions followed, with their leader and epoch (tests). */
    public synchronized Map<TopicPartition, FollowTarget> following() {
        return Map.copyOf(following);
    }

    /** Stops every fetcher, waiting for each up to 5 s. */
    @Override
    public void close() {
        List<ReplicaFetcher> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(fetchers.values());
            fetchers.clear();
            following.clear();
        }
        all.forEach(ReplicaFetcher::shutdown);
    }
}
