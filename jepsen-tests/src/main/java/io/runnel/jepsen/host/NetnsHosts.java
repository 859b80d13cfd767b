package io.runnel.jepsen.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * One Linux network namespace per node ({@code rnl-n1}, {@code rnl-n2}, ...), each with a veth pair whose other end
 * ({@code rnl-v1}, ...) is a port of a bridge the run creates ({@code rnl-br0}), addresses {@code <prefix>.<id>/24}
 * and {@code <prefix>.254} for the bridge, which is how the run's own clients (in the root namespace) reach every
 * node. Nothing has a default route: packets can only go to the run's own subnet.
 *
 * <p>Faults (see ../shared/DESIGN.md section 9): a partition is per-node {@code iptables -A INPUT -s <peer> -j DROP}
 * inside the namespace (the bridge address, i.e. the clients, is never dropped); healing flushes INPUT. Packet
 * faults are an {@code htb} qdisc on the namespace's {@code eth0} with filters sending only packets to the chosen
 * peers there ({@link PacketShaper}: netem where the kernel has it, else htb rate limits and iptables statistic
 * rules). If {@code br_netfilter} is loaded, bridged frames
 * also cross the root namespace's FORWARD chain: a rule accepting {@code rnl-br0 -> rnl-br0} is inserted there.
 *
 * <p>Everything is removed by {@link #close()}, by {@link #cleanupStale()} at the next start after a crash, and by
 * {@code bin/runnel jepsen cleanup}. A lock file ({@value #LOCK}) holds the owning run's pid.
 */
public final class NetnsHosts implements Hosts {
    /** Prefix of every namespace, link and bridge the run makes. */
    public static final String PREFIX = "rnl-";
    /** The bridge. */
    public static final String BRIDGE = PREFIX + "br0";
    /** Holds the pid of the run that owns the namespaces. */
    public static final String LOCK = "/run/runnel-jepsen.lock";
    /** The run's subnet (RFC 2544's benchmarking range: never routed, no real host there): nodes are .1 to .n. */
    public static final String DEFAULT_PREFIX = "198.18.0";
    private static final int BROKER_PORT = 9092;
    private static final int CONTROLLER_PORT = 9093;
    private static final String[] FORWARD_RULE = {"FORWARD", "-i", BRIDGE, "-o", BRIDGE, "-j", "ACCEPT"};

    private final int nodes;
    private final String prefix;
    private boolean closed;
    private Boolean netemAvailable;

    /**
     * Creates the bridge and one namespace per node (removing what a crashed run left first).
     *
     * @throws IllegalStateException when a command fails or another live run owns the namespaces
     */
    public NetnsHosts(int nodes, String prefix) {
        this.nodes = nodes;
        this.prefix = prefix;
        cleanupStale();
        try {
            Files.writeString(Path.of(LOCK), Long.toString(ProcessHandle.current().pid()));
            Shell.check("ip", "link", "add", BRIDGE, "type", "bridge");
            Shell.check("ip", "addr", "add", prefix + ".254/24", "dev", BRIDGE);
            Shell.check("ip", "link", "set", BRIDGE, "up");
            if (Shell.onPath("iptables")) {
                Shell.check(concat(List.of("iptables", "-w", "-I"), FORWARD_RULE));
            }
            for (int id = 1; id <= nodes; id++) {
                String ns = namespace(id);
                String veth = PREFIX + "v" + id;
                Shell.check("ip", "netns", "add", ns);
                Shell.check("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
                Shell.check("ip", "link", "set", veth, "master", BRIDGE, "up");
                Shell.check("ip", "-n", ns, "addr", "add", address(id) + "/24", "dev", "eth0");
                Shell.check("ip", "-n", ns, "link", "set", "eth0", "up");
                Shell.check("ip", "-n", ns, "link", "set", "lo", "up");
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw new IllegalStateException("could not create the run's network namespaces: " + e.getMessage(), e);
        }
    }

    /** The namespace of node {@code id}. */
    public static String namespace(int id) {
        return PREFIX + "n" + id;
    }

    /**
     * True when this process can create namespaces: root, with {@code ip} and {@code iptables} on PATH.
     *
     * @return null when it can, else one line saying what is missing
     */
    public static String missing() {
        if (!"0".equals(Shell.quiet("id", "-u").output())) {
            return "network faults need root (network namespaces, iptables, tc)";
        }
        for (String tool : List.of("ip", "iptables", "tc")) {
            if (!Shell.onPath(tool)) {
                return "network faults need '" + tool + "' (apt-get install -y iproute2 iptables)";
            }
        }
        return null;
    }

    @Override
    public boolean network() {
        return true;
    }

    @Override
    public String kind() {
        return "netns";
    }

    @Override
    public String address(int id) {
        return prefix + "." + id;
    }

    @Override
    public int brokerPort(int id) {
        return BROKER_PORT;
    }

    @Override
    public int controllerPort(int id) {
        return CONTROLLER_PORT;
    }

    @Override
    public List<String> wrap(int id, List<String> command) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", namespace(id)));
        c.addAll(command);
        return c;
    }

    @Override
    public synchronized void drop(int id, Collection<Integer> from) {
        for (int peer : from) {
            if (peer != id) {
                Shell.check("ip", "netns", "exec", namespace(id), "iptables", "-w", "-A", "INPUT", "-s",
                        address(peer), "-j", "DROP");
            }
        }
    }

    @Override
    public synchronized void heal() {
        for (int id = 1; id <= nodes; id++) {
            Shell.check("ip", "netns", "exec", namespace(id), "iptables", "-w", "-F", "INPUT");
        }
    }

    @Override
    public synchronized String shape(int id, Netem netem, Collection<Integer> to) {
        String ns = namespace(id);
        unshape(id);
        List<String> peers = to.stream().filter(p -> p != id).map(this::address).toList();
        for (List<String> c : PacketShaper.shape(ns, netem, peers, netem())) {
            Shell.check(c);
        }
        return PacketShaper.mechanism(netem, netem());
    }

    private boolean netem() {
        if (netemAvailable == null) {
            netemAvailable = PacketShaper.netemAvailable(namespace(1));
        }
        return netemAvailable;
    }

    @Override
    public synchronized void unshape(int id) {
        PacketShaper.unshape(namespace(id)).forEach(Shell::run);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        cleanupStale();
    }

    /**
     * Removes every {@code rnl-} namespace (killing what still runs in it), the bridge, the FORWARD rule and the lock
     * file, whoever made them. Refuses while the lock names another live process.
     *
     * @return what was removed, one entry per thing (empty when there was nothing)
     * @throws IllegalStateException when another live run holds the lock
     */
    public static List<String> cleanupStale() {
        long self = ProcessHandle.current().pid();
        Path lock = Path.of(LOCK);
        try {
            if (Files.exists(lock)) {
                long owner = Long.parseLong(Files.readString(lock).trim());
                if (owner != self && ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
                    throw new IllegalStateException("another jepsen run (pid " + owner + ") owns the " + PREFIX
                            + " namespaces; stop it first");
                }
            }
        } catch (IOException | NumberFormatException e) {
            // an unreadable lock is stale
        }
        List<String> removed = new ArrayList<>();
        for (String line : Shell.quiet("ip", "netns", "list").output().split("\n")) {
            String ns = line.trim().split("\\s+")[0];
            if (!ns.startsWith(PREFIX)) {
                continue;
            }
            for (String pid : Shell.quiet("ip", "netns", "pids", ns).output().split("\\s+")) {
                if (pid.matches("\\d+")) {
                    Shell.quiet("kill", "-CONT", pid);
                    Shell.quiet("kill", "-KILL", pid);
                    removed.add("process " + pid + " in " + ns);
                }
            }
            awaitNoPids(ns);
            if (Shell.quiet("ip", "netns", "del", ns).ok()) {
                removed.add("namespace " + ns);
            }
        }
        // a namespace's veth pair goes with the namespace, but asynchronously: delete our ends now, so that the next
        // run can create links of the same names at once
        for (String line : Shell.quiet("ip", "-o", "link", "show").output().split("\n")) {
            String[] f = line.split(":\\s+|@", 3);
            if (f.length > 1 && f[1].startsWith(PREFIX + "v") && Shell.quiet("ip", "link", "del", f[1]).ok()) {
                removed.add("link " + f[1]);
            }
        }
        if (Shell.quiet("ip", "link", "del", BRIDGE).ok()) {
            removed.add("bridge " + BRIDGE);
        }
        if (Shell.onPath("iptables")) {
            while (Shell.run(concat(List.of("iptables", "-w", "-D"), FORWARD_RULE)).ok()) {
                removed.add("iptables rule " + String.join(" ", FORWARD_RULE));
            }
        }
        try {
            Files.deleteIfExists(lock);
        } catch (IOException ignored) {
            // nothing to do
        }
        return removed;
    }

    private static void awaitNoPids(String ns) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline && !Shell.quiet("ip", "netns", "pids", ns).output().isBlank()) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static List<String> concat(List<String> head, String[] tail) {
        List<String> c = new ArrayList<>(head);
        c.addAll(List.of(tail));
        return c;
    }
}
