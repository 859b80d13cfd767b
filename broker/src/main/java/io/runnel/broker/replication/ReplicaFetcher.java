package io.runnel.broker.replication;

import io.runnel.broker.quota.ReplicationQuota;
import io.runnel.broker.replica.Partition;
import io.runnel.log.LogAppendInfo;
import io.runnel.log.LogException;
import io.runnel.log.epoch.EpochEndOffset;
import io.runnel.metadata.image.TopicPartition;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.Records;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One replica fetcher thread: fetches every partition it is given from one leader broker, many partitions per
 * request, with Kafka's Fetch API as a follower (DESIGN.md section 6): {@code replica_id} is this broker, each
 * partition's fetch offset is the local log end offset, {@code current_leader_epoch} the epoch from the image and
 * {@code last_fetched_epoch} the epoch of the local log's last batch. For each partition of a response:
 * <ul>
 *   <li>{@code diverging_epoch}: truncate where the logs diverged ({@link Truncation}), then fetch again;</li>
 *   <li>records: append them as they are (offsets and epochs kept), then take the leader's high watermark, and its
 *       log start offset when higher than the local one (DeleteRecords, KIP-107; bounded by the local high
 *       watermark), so the next fetch reports it back for the leader's low watermark;</li>
 *   <li>OFFSET_OUT_OF_RANGE below the leader's log start: restart the log empty at the leader's log start;</li>
 *   <li>a leadership error (NOT_LEADER_OR_FOLLOWER, FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH...): pause the
 *       partition for the back-off (the next image moves it).</li>
 * </ul>
 * A failed request (connection refused, timeout) pauses all its partitions for {@code replica.fetch.backoff.ms}.
 * A partition throttled on this follower (KIP-73) while it is outside the ISR is left out of requests as long as the
 * throttled bytes received are above {@code follower.replication.throttled.rate}.
 * Thread-safe: assignment may change while the thread runs; a batch fetched for an older leader epoch is dropped by
 * {@link Partition#appendAsFollower}.
 */
final class ReplicaFetcher implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaFetcher.class);
    private static final short FETCH_VERSION = 12;
    private static final long UNKNOWN_EPOCH_RETRY_MS = 100;

    /** A partition's fetch state: the leader epoch it fetches at, and until when it pauses (ms). */
    private record FetchState(int leaderEpoch, long pausedUntilMs) {
    }

    private final int sourceBrokerId;
    private final FetcherSettings settings;
    private final Function<TopicPartition, Partition> partitions;
    private final ReplicationQuota quota;
    private final Map<TopicPartition, FetchState> assigned = new ConcurrentHashMap<>();
    private final BrokerChannel channel;
    private final Object signal = new Object();
    private final Thread thread;
    private volatile String host;
    private volatile int port;
    private volatile boolean running = true;
    private long lastErrorLogMs;

    ReplicaFetcher(int sourceBrokerId, int fetcherId, FetcherSettings settings,
                   Function<TopicPartition, Partition> partitions, ReplicationQuota quota) {
        this.sourceBrokerId = sourceBrokerId;
        this.settings = settings;
        this.partitions = partitions;
        this.quota = quota;
        String name = "replica-fetcher-" + settings.brokerId() + "-from-" + sourceBrokerId + "-" + fetcherId;
        this.channel = new BrokerChannel(name, settings.responseMaxBytes() + (1 << 20));
        this.thread = new Thread(this, "runnel-" + name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Where the leader listens; null host while the image has no endpoint for it. */
    void setEndpoint(String newHost, int newPort) {
        host = newHost;
        port = newPort;
        wakeUp();
    }

    /** Fetches {@code tp} at {@code leaderEpoch} from now on. */
    void assign(TopicPartition tp, int leaderEpoch) {
        assigned.put(tp, new FetchState(leaderEpoch, 0L));
        wakeUp();
    }

    /** Stops fetching {@code tp}. */
    void unassign(TopicPartition tp) {
        assigned.remove(tp);
    }

    boolean isIdle() {
        return assigned.isEmpty();
    }

    /** Stops the thread, aborting a fetch in flight, without waiting for it. */
    void shutdownAsync() {
        running = false;
        channel.close();
        wakeUp();
    }

    /** Stops the thread, aborting a fetch in flight, and waits for it up to 5 s. */
    void shutdown() {
        shutdownAsync();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void wakeUp() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    @Override
    public void run() {
        while (running) {
            try {
                fetchOnce();
            } catch (RuntimeException e) {
                LOG.error("Replica fetcher from broker {} failed; retrying after {} ms", sourceBrokerId,
                        settings.backoffMs(), e);
                pause(settings.backoffMs());
            }
        }
        channel.close();
    }

    private void fetchOnce() {
        long now = System.currentTimeMillis();
        Map<TopicPartition, FetchState> ready = new LinkedHashMap<>();
        long nextWake = Long.MAX_VALUE;
        for (Map.Entry<TopicPartition, FetchState> e : assigned.entrySet()) {
            Partition part = partitions.apply(e.getKey());
            if (part != null && quota.holdsBack(e.getKey(), inSync(part))) {
                nextWake = Math.min(nextWake, now + settings.backoffMs());
            } else if (e.getValue().pausedUntilMs() <= now && part != null) {
                ready.put(e.getKey(), e.getValue());
            } else {
                nextWake = Math.min(nextWake, e.getValue().pausedUntilMs());
            }
        }
        String h = host;
        int p = port;
        if (ready.isEmpty() || h == null) {
            pause(nextWake == Long.MAX_VALUE || h == null ? settings.backoffMs() : Math.max(1, nextWake - now));
            return;
        }
        FetchResponse response;
        try {
            if (!channel.connectedTo(h, p)) {
                channel.connect(h, p, settings.requestTimeoutMs());
            }
            response = (FetchResponse) channel.send(request(ready), settings.maxWaitMs()
                    + settings.requestTimeoutMs());
        } catch (IOException e) {
            if (running) {
                logRateLimited("Cannot fetch from broker " + sourceBrokerId + " at " + h + ":" + p + ": " + e);
                pauseAll(ready, settings.backoffMs());
            }
            return;
        }
        if (response.error() != Errors.NONE) {
            logRateLimited("Fetch from broker " + sourceBrokerId + " failed: " + response.error());
            pauseAll(ready, settings.backoffMs());
            return;
        }
        for (FetchResponseData.FetchableTopicResponse topic : response.data().responses()) {
            for (FetchResponseData.PartitionData pd : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.topic(), pd.partitionIndex());
                FetchState state = ready.get(tp);
                FetchState current = assigned.get(tp);
                if (state != null && current != null && current.leaderEpoch() == state.leaderEpoch()) {
                    process(tp, state, pd);
                }
            }
        }
    }

    private FetchRequest request(Map<TopicPartition, FetchState> ready) {
        FetchRequestData data = new FetchRequestData().setReplicaId(settings.brokerId())
                .setMaxWaitMs(settings.maxWaitMs()).setMinBytes(settings.minBytes())
                .setMaxBytes(settings.responseMaxBytes()).setIsolationLevel((byte) 0)
                .setSessionId(0).setSessionEpoch(-1);
        Map<String, FetchRequestData.FetchTopic> topics = new LinkedHashMap<>();
        ready.forEach((tp, state) -> {
            Partition p = partitions.apply(tp);
            if (p == null) {
                return;
            }
            int lastEpoch = p.log().leaderEpochCache().latestEpoch();
            FetchRequestData.FetchTopic topic = topics.computeIfAbsent(tp.topic(), name -> {
                FetchRequestData.FetchTopic t = new FetchRequestData.FetchTopic().setTopic(name);
                data.topics().add(t);
                return t;
            });
            topic.partitions().add(new FetchRequestData.FetchPartition().setPartition(tp.partition())
                    .setCurrentLeaderEpoch(state.leaderEpoch()).setFetchOffset(p.logEndOffset())
                    .setLastFetchedEpoch(lastEpoch).setLogStartOffset(p.logStartOffset())
                    .setPartitionMaxBytes(settings.partitionMaxBytes()));
        });
        return new FetchRequest(data, FETCH_VERSION);
    }

    private void process(TopicPartition tp, FetchState state, FetchResponseData.PartitionData pd) {
        Partition p = partitions.apply(tp);
        if (p == null) {
            return;
        }
        Errors error = Errors.forCode(pd.errorCode());
        try {
            switch (error) {
                case NONE -> {
                    if (pd.divergingEpoch().epoch() >= 0) {
                        truncate(p, state, pd.divergingEpoch());
                    } else {
                        append(p, state, pd);
                    }
                }
                case OFFSET_OUT_OF_RANGE -> outOfRange(p, state, pd);
                case UNKNOWN_LEADER_EPOCH -> pausePartition(tp, state, UNKNOWN_EPOCH_RETRY_MS);
                default -> {
                    logRateLimited("Fetching " + tp + " from broker " + sourceBrokerId + ": " + error.name());
                    pausePartition(tp, state, settings.backoffMs());
                }
            }
        } catch (LogException e) {
            LOG.error("Cannot write the fetched records of {} to its log; pausing it", tp, e);
            pausePartition(tp, state, settings.backoffMs());
        }
    }

    private void append(Partition p, FetchState state, FetchResponseData.PartitionData pd) {
        ByteBuffer batches = wholeBatches(FetchResponse.recordsOrFail(pd));
        if (!inSync(p) && quota.isThrottled(p.topicPartition())) {
            quota.record(batches.remaining());
        }
        if (batches.hasRemaining()) {
            LogAppendInfo info = p.appendAsFollower(batches, state.leaderEpoch());
            if (info == null) {
                return;
            }
        }
        p.updateFollowerHighWatermark(pd.highWatermark(), state.leaderEpoch());
        if (pd.logStartOffset() > p.logStartOffset() && p.followLeaderLogStart(pd.logStartOffset(),
                state.leaderEpoch())) {
            LOG.debug("{}: log start offset moved to {} after the leader's {}", p.topicPartition(),
                    p.logStartOffset(), pd.logStartOffset());
        }
    }

    private void truncate(Partition p, FetchState state, FetchResponseData.EpochEndOffset diverging) {
        EpochEndOffset leader = new EpochEndOffset(diverging.epoch(), diverging.endOffset());
        EpochEndOffset mine = p.log().endOffsetForEpoch(leader.epoch());
        long target = Truncation.offset(leader, mine, p.logEndOffset());
        long before = p.logEndOffset();
        if (p.truncateTo(target, state.leaderEpoch())) {
            LOG.info("{}: log diverged from leader {} (its epoch {} ends at offset {}; ours at {}): truncated from"
                    + " {} to {}", p.topicPartition(), sourceBrokerId, leader.epoch(), leader.endOffset(),
                    mine.endOffset(), before, target);
        }
    }

    private void outOfRange(Partition p, FetchState state, FetchResponseData.PartitionData pd) {
        long fetchOffset = p.logEndOffset();
        boolean empty = p.logStartOffset() == fetchOffset;
        if (pd.logStartOffset() >= 0 && (fetchOffset < pd.logStartOffset() || empty)) {
            LOG.info("{}: offset {} is outside the leader's log; restarting the log at the leader's log start {}",
                    p.topicPartition(), fetchOffset, pd.logStartOffset());
            p.truncateFullyAndStartAt(pd.logStartOffset(), state.leaderEpoch());
        } else if (pd.highWatermark() >= 0 && pd.highWatermark() < fetchOffset) {
            LOG.warn("{}: offset {} is beyond the leader's log and no epoch tells where it diverged; truncating to"
                    + " the leader's high watermark {}", p.topicPartition(), fetchOffset, pd.highWatermark());
            p.truncateTo(pd.highWatermark(), state.leaderEpoch());
        } else {
            pausePartition(p.topicPartition(), state, settings.backoffMs());
        }
    }

    private boolean inSync(Partition p) {
        return p.state().isr().contains(settings.brokerId());
    }

    /** The complete batches of {@code records}: a leader may cut the last one short at its size limit. */
    private static ByteBuffer wholeBatches(Records records) {
        if (!(records instanceof MemoryRecords memory)) {
            return ByteBuffer.allocate(0);
        }
        int bytes = 0;
        for (MutableRecordBatch batch : memory.batches()) {
            bytes += batch.sizeInBytes();
        }
        ByteBuffer b = memory.buffer().duplicate();
        b.limit(b.position() + bytes);
        return b;
    }

    private void pausePartition(TopicPartition tp, FetchState state, long ms) {
        assigned.replace(tp, state, new FetchState(state.leaderEpoch(), System.currentTimeMillis() + ms));
    }

    private void pauseAll(Map<TopicPartition, FetchState> states, long ms) {
        states.forEach((tp, state) -> pausePartition(tp, state, ms));
    }

    private void pause(long ms) {
        synchronized (signal) {
            if (running) {
                try {
                    signal.wait(Math.max(1, ms));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
        }
    }

    private void logRateLimited(String message) {
        long now = System.currentTimeMillis();
        if (now - lastErrorLogMs >= 10_000) {
            lastErrorLogMs = now;
            LOG.warn(message);
        }
    }

    /** The partitions this fetcher fetches (tests). */
    List<TopicPartition> assignedPartitions() {
        return new ArrayList<>(assigned.keySet());
    }
}
