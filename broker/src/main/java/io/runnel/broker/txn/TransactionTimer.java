package io.runnel.broker.txn;

import io.runnel.metadata.image.TransactionState;
import io.runnel.metadata.image.TxnState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The transaction coordinator's periodic work, over the ids this broker coordinates (KIP-98):
 * <ul>
 *   <li>every second, prepared transactions with no marker job here (their coordinator died or moved) are taken over:
 *       the state is rewritten first (a new version, so the old coordinator's markers are fenced), then the markers
 *       are written;</li>
 *   <li>every {@code transaction.abort.timed.out.transaction.cleanup.interval.ms}, an open transaction older than its
 *       {@code transaction.timeout.ms} is aborted with its producer epoch bumped (the producer is fenced);</li>
 *   <li>every {@code transaction.remove.expired.transaction.cleanup.interval.ms}, an id with no open transaction and
 *       no update for {@code transactional.id.expiration.ms} is removed.</li>
 * </ul>
 */
final class TransactionTimer {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionTimer.class);
    private static final long TICK_MS = 1_000;
    private final TransactionCoordinator coordinator;
    private final ScheduledExecutorService timer;
    private long lastAbortCheck;
    private long lastExpiryCheck;

    TransactionTimer(TransactionCoordinator coordinator, ScheduledExecutorService timer) {
        this.coordinator = coordinator;
        this.timer = timer;
    }

    void start() {
        lastAbortCheck = coordinator.now();
        lastExpiryCheck = coordinator.now();
        timer.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            long now = coordinator.now();
            TransactionConfig cfg = coordinator.config();
            boolean abortCheck = now - lastAbortCheck >= cfg.abortCheckIntervalMs();
            boolean expiryCheck = now - lastExpiryCheck >= cfg.expiryCheckIntervalMs();
            if (abortCheck) {
                lastAbortCheck = now;
            }
            if (expiryCheck) {
                lastExpiryCheck = now;
            }
            for (TransactionState t : coordinator.coordinated()) {
                if (Transitions.prepared(t.state()) && !coordinator.completing(t.transactionalId())) {
                    takeOver(t);
                } else if (abortCheck && t.state() == TxnState.ONGOING && t.txnStartMs() >= 0
                        && now - t.txnStartMs() > t.timeoutMs()) {
                    abortExpired(t);
                } else if (expiryCheck && expirable(t.state()) && now - t.lastUpdateMs() > cfg.idExpirationMs()) {
                    expire(t);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Transaction coordinator timer failed", e);
        }
    }

    private static boolean expirable(TxnState s) {
        return s == TxnState.EMPTY || s == TxnState.COMPLETE_COMMIT || s == TxnState.COMPLETE_ABORT
                || s == TxnState.DEAD;
    }

    private void takeOver(TransactionState seen) {
        String id = seen.transactionalId();
        coordinator.serially(id, () -> {
            TransactionState cur = coordinator.state(id);
            if (cur == null || cur.version() != seen.version() || coordinator.completing(id)) {
                return CompletableFuture.completedFuture(null);
            }
            LOG.info("Taking over transaction {} of producer {} in state {}", id, cur.producerId(),
                    cur.state().kafkaName());
            return coordinator.write(cur, Transitions.rewrite(cur, coordinator.now())).thenAccept(coordinator::finish);
        }).exceptionally(e -> logged(id, "take over", e));
    }

    private void abortExpired(TransactionState seen) {
        String id = seen.transactionalId();
        coordinator.serially(id, () -> {
            TransactionState cur = coordinator.state(id);
            if (cur == null || cur.version() != seen.version() || cur.state() != TxnState.ONGOING) {
                return CompletableFuture.completedFuture(null);
            }
            LOG.info("Aborting transaction {} of producer {}: open for more than transaction.timeout.ms={} ms",
                    id, cur.producerId(), cur.timeoutMs());
            return coordinator.write(cur, Transitions.fenceAndAbort(cur, coordinator.now()))
                    .thenAccept(coordinator::finish);
        }).exceptionally(e -> logged(id, "abort", e));
    }

    private void expire(TransactionState seen) {
        String id = seen.transactionalId();
        coordinator.serially(id, () -> {
            TransactionState cur = coordinator.state(id);
            if (cur == null || cur.version() != seen.version()) {
                return CompletableFuture.completedFuture(null);
            }
            LOG.info("Removing transactional id {}: idle for more than transactional.id.expiration.ms", id);
            return coordinator.remove(cur);
        }).exceptionally(e -> logged(id, "expire", e));
    }

    private static Void logged(String id, String what, Throwable e) {
        LOG.info("Could not {} transaction {}: {}", what, id, e.toString());
        return null;
    }
}
