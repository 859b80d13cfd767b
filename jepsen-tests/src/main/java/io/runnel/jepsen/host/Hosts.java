package io.runnel.jepsen.host;

import java.util.Collection;
import java.util.List;

/**
 * Where a run's nodes live and how their network is cut: one network namespace per node on a bridge
 * ({@link NetnsHosts}, root only), or plain loopback ({@link LoopbackHosts}, no network faults). Node ids are 1..n.
 */
public interface Hosts extends AutoCloseable {

    /** True when network faults (partition, packet) can be injected. */
    boolean network();

    /** {@code netns} or {@code loopback}. */
    String kind();

    /** The IPv4 address node {@code id} binds and advertises; clients in the run's own process reach it there. */
    String address(int id);

    /** The PLAINTEXT (Kafka) port of node {@code id}. */
    int brokerPort(int id);

    /** The CONTROLLER (Ratis) port of node {@code id}. */
    int controllerPort(int id);

    /** {@code command} prefixed so that it runs on node {@code id}'s host (e.g. {@code ip netns exec rnl-n1}). */
    List<String> wrap(int id, List<String> command);

    /**
     * Makes node {@code id} drop every packet it receives from the nodes in {@code from} (added to what it drops
     * already).
     *
     * @throws UnsupportedOperationException when {@link #network()} is false
     */
    void drop(int id, Collection<Integer> from);

    /** Removes every drop rule of every node (clients and nodes reach each other again). */
    void heal();

    /**
     * Shapes the packets node {@code id} sends to the nodes in {@code to} (its traffic to clients is not touched).
     *
     * @return how it was done on this kernel, for the timeline
     * @throws UnsupportedOperationException when {@link #network()} is false
     */
    String shape(int id, Netem netem, Collection<Integer> to);

    /** Removes node {@code id}'s shaping. */
    void unshape(int id);

    /** Removes every namespace, bridge, rule and qdisc this object created. Idempotent. */
    @Override
    void close();
}
