package io.runnel.broker.handler;

import io.runnel.broker.metadata.MetadataCache;
import io.runnel.metadata.image.MetadataImage;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Lets a handler wait until this broker's published metadata image satisfies a condition: CreateTopics, DeleteTopics,
 * CreatePartitions and IncrementalAlterConfigs answer only once the local image shows their effect, so that the
 * client's next Metadata or DescribeConfigs sent to this broker sees it. The broker wiring calls
 * {@link #published()} after every image it publishes; nothing polls.
 *
 * <p>Waits are bounded: a condition still false after its timeout completes with {@code false} (the change is
 * committed in the metadata log; the image is just late). Conditions run on the publishing thread under this
 * object's lock and must be cheap (map lookups). Thread-safe.
 */
public final class ImageWaiter {
    private final MetadataCache cache;
    private final List<Waiter> waiters = new ArrayList<>();

    private record Waiter(Predicate<MetadataImage> condition, CompletableFuture<Boolean> done) {
    }

    public ImageWaiter(MetadataCache cache) {
        this.cache = cache;
    }

    /**
     * Completes with true as soon as the current image satisfies {@code condition} (at once if it already does), or
     * with false after {@code timeoutMs} milliseconds. A timeout of 0 or less only checks the current image.
     */
    public CompletableFuture<Boolean> await(Predicate<MetadataImage> condition, long timeoutMs) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        synchronized (this) {
            if (condition.test(cache.current().image())) {
                return CompletableFuture.completedFuture(true);
            }
            if (timeoutMs <= 0) {
                return CompletableFuture.completedFuture(false);
            }
            waiters.add(new Waiter(condition, done));
        }
        done.completeOnTimeout(false, timeoutMs, TimeUnit.MILLISECONDS);
        done.whenComplete((ok, error) -> forget(done));
        return done;
    }

    /** Re-checks every pending condition against the image now current; called after each publication. */
    public void published() {
        List<CompletableFuture<Boolean>> satisfied = new ArrayList<>();
        synchronized (this) {
            MetadataImage image = cache.current().image();
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (w.done().isDone()) {
                    it.remove();
                } else if (w.condition().test(image)) {
                    it.remove();
                    satisfied.add(w.done());
                }
            }
        }
        satisfied.forEach(f -> f.complete(true));
    }

    /** The number of conditions still waiting (tests). */
    public synchronized int pending() {
        return waiters.size();
    }

    private synchronized void forget(CompletableFuture<Boolean> done) {
        waiters.removeIf(w -> w.done() == done);
    }
}
