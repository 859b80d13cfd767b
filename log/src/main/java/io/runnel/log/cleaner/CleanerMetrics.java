package io.runnel.log.cleaner;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.logging.Logger;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** The per-log cleaner metrics behind {@link LogCleanerMetricsMXBean}. Thread-safe. */
public final class CleanerMetrics implements LogCleanerMetricsMXBean {
    private static final Logger LOG = Logger.getLogger("io.runnel.log.cleaner");
    private final DoubleSupplier dirtyRatio;
    private final ObjectName name;
    private final AtomicLong cleanings = new AtomicLong();
    private final AtomicLong bytesRemoved = new AtomicLong();
    private final AtomicLong recordsRemoved = new AtomicLong();
    private volatile long lastCleaningTimeMs = -1;
    private volatile long lastDurationMs = -1;
    private volatile long firstDirtyOffset = -1;

    private CleanerMetrics(DoubleSupplier dirtyRatio, ObjectName name) {
        this.dirtyRatio = dirtyRatio;
        this.name = name;
    }

    /** Creates the metrics of log {@code logName} and registers them with the platform MBean server. */
    static CleanerMetrics register(int brokerId, String logName, DoubleSupplier dirtyRatio) {
        ObjectName on = null;
        try {
            on = new ObjectName("io.runnel.log:type=LogCleaner,broker=" + brokerId + ",name="
                    + ObjectName.quote(logName));
        } catch (JMException e) {
            LOG.warning("no JMX name for " + logName + ": " + e.getMessage());
        }
        CleanerMetrics m = new CleanerMetrics(dirtyRatio, on);
        if (on != null) {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            try {
                if (server.isRegistered(on)) {
                    server.unregisterMBean(on);
                }
                server.registerMBean(m, on);
            } catch (JMException e) {
                LOG.warning("could not register " + on + ": " + e.getMessage());
            }
        }
        return m;
    }

    void record(CleanerStats stats, long endMs) {
        cleanings.incrementAndGet();
        bytesRemoved.addAndGet(stats.bytesRemoved());
        recordsRemoved.addAndGet(stats.recordsRemoved());
        lastCleaningTimeMs = endMs;
        lastDurationMs = stats.elapsedMs();
        firstDirtyOffset = stats.endOffset();
    }

    void unregister() {
        if (name == null) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (JMException e) {
            LOG.fine("already unregistered: " + name);
        }
    }

    /** The JMX name, e.g. {@code io.runnel.log:type=LogCleaner,broker=1,name="orders-0"}. */
    public ObjectName objectName() {
        return name;
    }

    @Override
    public double getDirtyRatio() {
        return dirtyRatio.getAsDouble();
    }

    @Override
    public long getLastCleaningTimeMs() {
        return lastCleaningTimeMs;
    }

    @Override
    public long getLastCleaningDurationMs() {
        return lastDurationMs;
    }

    @Override
    public long getCleanings() {
        return cleanings.get();
    }

    @Override
    public long getBytesRemoved() {
        return bytesRemoved.get();
    }

    @Override
    public long getRecordsRemoved() {
        return recordsRemoved.get();
    }

    @Override
    public long getFirstDirtyOffset() {
        return firstDirtyOffset;
    }
}
