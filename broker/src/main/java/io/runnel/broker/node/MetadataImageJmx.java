package io.runnel.broker.node;

import io.runnel.metadata.image.BrokerRegistration;
import io.runnel.metadata.image.MetadataImage;
import io.runnel.metadata.quorum.MetadataSource;
import java.lang.management.ManagementFactory;
import java.util.function.Supplier;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MetadataImageMXBean} of one node, registered in the platform MBean server for as long as the node runs.
 * Every attribute is read from the node's current image when asked (the digest serializes the image).
 */
final class MetadataImageJmx implements MetadataImageMXBean, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataImageJmx.class);
    private final MetadataSource source;
    private final Supplier<MetadataImage> served;
    private final ObjectName name;
    private final boolean registered;

    private MetadataImageJmx(MetadataSource source, Supplier<MetadataImage> served, ObjectName name,
                             boolean registered) {
        this.source = source;
        this.served = served;
        this.name = name;
        this.registered = registered;
    }

    /** {@code io.runnel:type=MetadataImage,nodeId=<nodeId>}. */
    static ObjectName objectName(int nodeId) {
        try {
            return new ObjectName("io.runnel:type=MetadataImage,nodeId=" + nodeId);
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Registers the bean of {@code nodeId}; a failure (e.g. the name is taken in this JVM) is logged, not thrown.
     *
     * @param served the image the broker role serves now, or null (no broker role)
     */
    static MetadataImageJmx register(int nodeId, MetadataSource source, Supplier<MetadataImage> served) {
        ObjectName name = objectName(nodeId);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        MetadataImageJmx bean = new MetadataImageJmx(source, served, name, true);
        try {
            server.registerMBean(bean, name);
            return bean;
        } catch (JMException e) {
            LOG.warn("Cannot register JMX bean {}: {}", name, e.toString());
            return new MetadataImageJmx(source, served, name, false);
        }
    }

    @Override
    public long getLastAppliedOffset() {
        return source.appliedOffset();
    }

    @Override
    public long getImageOffset() {
        return source.image().provenance().index();
    }

    @Override
    public long getServedImageOffset() {
        MetadataImage image = served == null ? null : served.get();
        return image == null ? -1 : image.provenance().index();
    }

    @Override
    public String getDigest() {
        return source.image().digest();
    }

    @Override
    public String getClusterId() {
        return source.image().clusterId();
    }

    @Override
    public int getActiveBrokerCount() {
        return (int) source.image().brokers().values().stream().filter(b -> !b.fenced()).count();
    }

    @Override
    public int getFencedBrokerCount() {
        return getFencedBrokerIds().length;
    }

    @Override
    public int[] getFencedBrokerIds() {
        return source.image().brokers().values().stream().filter(BrokerRegistration::fenced)
                .mapToInt(BrokerRegistration::id).sorted().toArray();
    }

    @Override
    public void close() {
        if (!registered) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (JMException e) {
            LOG.debug("JMX bean {} was already gone: {}", name, e.toString());
        }
    }
}
