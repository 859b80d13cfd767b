package io.runnel.jepsen.host;

import java.io.IOException;
import java.io.UncheckedIOException;
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

    /** Picks two free loopback ports for each of {@code nodes} nodes. */
    public LoopbackHosts(int nodes) {
        for (int i = 0; i < nodes; i++) {
            brokerPorts.add(freePort());
            controllerPorts.add(freePort());
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
