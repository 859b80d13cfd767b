package io.runnel.jepsen.host;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Every node on 127.0.0.1 with its own free ports: the hosts of a run without root. Processes can be killed,
 * paused and have their clocks shifted; the network cannot be cut.
 */
public final class LoopbackHosts implements Hosts {
    private final List<Integer> brokerPorts = new ArrayList<>();
    private final List<Integer> controllerPorts = new ArrayList<>();

    /**
     * Picks two free loopback ports for each of {@code nodes} nodes: a run of consecutive ports from a random base
     * below the kernel's ephemeral range (32768 up), so that no outgoing connection (a peer retrying a killed node)
     * takes a node's port while it is down and its restart fails with "Address already in use".
     */
    public LoopbackHosts(int nodes) {
        java.util.Random random = new java.util.Random();
        while (brokerPorts.size() < nodes) {
            brokerPorts.clear();
            controllerPorts.clear();
            int base = 10_000 + random.nextInt(20_000);
            for (int i = 0; i < nodes && bindable(base + 2 * i) && bindable(base + 2 * i + 1); i++) {
                brokerPorts.add(base + 2 * i);
                controllerPorts.add(base + 2 * i + 1);
            }
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort() == port;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public boolean network() {
        return false;
    }

    @Override
    public String kind() {
        return "loopback";
    }

    @Override
    public String address(int id) {
        return "127.0.0.1";
    }

    @Override
    public int brokerPort(int id) {
        return brokerPorts.get(id - 1);
    }

    @Override
    public int controllerPort(int id) {
        return controllerPorts.get(id - 1);
    }

    @Override
    public List<String> wrap(int id, List<String> command) {
        return command;
    }

    @Override
    public void drop(int id, Collection<Integer> from) {
        throw new UnsupportedOperationException("network faults need network namespaces (root)");
    }

    @Override
    public void heal() {
    }

    @Override
    public String shape(int id, Netem netem, Collection<Integer> to) {
        throw new UnsupportedOperationException("network faults need network namespaces (root)");
    }

    @Override
    public void unshape(int id) {
    }

    @Override
    public void close() {
    }
}
