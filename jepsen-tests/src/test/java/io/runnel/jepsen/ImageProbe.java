package io.runnel.jepsen;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Reads a running node's metadata image summary the way an operator's JMX tool would: attaches to the JVM by pid
 * (JDK attach API), starts its local management agent, and reads the {@code io.runnel:type=MetadataImage,nodeId=N}
 * bean ({@code LastAppliedOffset}, {@code ImageOffset}, {@code ServedImageOffset}, {@code Digest},
 * {@code FencedBrokerIds}). One JMX connection per pid, closed on {@link #close()}.
 */
public final class ImageProbe implements AutoCloseable {
    /** Creates a probe that attaches to JVMs on first use. */
    public ImageProbe() {
    }

    /**
     * One node's image summary.
     *
     * @param servedImageOffset the image offset of the image its broker serves clients from (-1 for none)
     */
    public record Image(long lastAppliedOffset, long imageOffset, long servedImageOffset, String digest,
                        Set<Integer> fencedBrokers) {
    }

    private final Map<Long, JMXConnector> connectors = new HashMap<>();

    /**
     * The image summary of the JVM {@code pid}; throws when it cannot be attached or has no such bean. Never call it
     * for a SIGSTOPped JVM: attaching waits for the target to answer.
     */
    public Image read(long pid) throws Exception {
        MBeanServerConnection mbs;
        try {
            mbs = connector(pid).getMBeanServerConnection();
        } catch (IOException e) {
            forget(pid);
            throw e;
        }
        Set<ObjectName> names = mbs.queryNames(new ObjectName("io.runnel:type=MetadataImage,*"), null);
        if (names.size() != 1) {
            throw new IllegalStateException("pid " + pid + " has MetadataImage beans " + names);
        }
        AttributeList attrs = mbs.getAttributes(names.iterator().next(),
                new String[] {"LastAppliedOffset", "ImageOffset", "ServedImageOffset", "Digest", "FencedBrokerIds"});
        Map<String, Object> values = new HashMap<>();
        for (Attribute a : attrs.asList()) {
            values.put(a.getName(), a.getValue());
        }
        Set<Integer> fenced = new java.util.TreeSet<>();
        for (int id : (int[]) values.get("FencedBrokerIds")) {
            fenced.add(id);
        }
        return new Image((Long) values.get("LastAppliedOffset"), (Long) values.get("ImageOffset"),
                (Long) values.get("ServedImageOffset"), (String) values.get("Digest"), fenced);
    }

    /** The summaries of every pid, or null when any cannot be read now (e.g. still starting). */
    public List<Image> readAll(List<Long> pids) {
        try {
            List<Image> out = new java.util.ArrayList<>();
            for (long pid : pids) {
                out.add(read(pid));
            }
            return out;
        } catch (Exception e) {
            return null;
        }
    }

    private JMXConnector connector(long pid) throws Exception {
        JMXConnector c = connectors.get(pid);
        if (c == null) {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            try {
                c = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
            } finally {
                vm.detach();
            }
            connectors.put(pid, c);
        }
        return c;
    }

    private void forget(long pid) {
        JMXConnector c = connectors.remove(pid);
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // the process is gone
            }
        }
    }

    @Override
    public void close() {
        for (Long pid : List.copyOf(connectors.keySet())) {
            forget(pid);
        }
    }
}
