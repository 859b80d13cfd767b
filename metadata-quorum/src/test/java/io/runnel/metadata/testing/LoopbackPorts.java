package io.runnel.metadata.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on 127.0.0.1 for tests that start servers, chosen <em>below</em> the kernel's ephemeral range
 * ({@code /proc/sys/net/ipv4/ip_local_port_range}, 32768-60999 by default).
 *
 * <p>Why not {@code new ServerSocket(0)}: that hands out an ephemeral port and releases it. Until the server binds it
 * (a JVM start later), and again while a killed node is down before its restart, every outgoing connection may
 * take that port as its local port: peers retrying a dead node open a new one each attempt. The server then fails
 * with "Address already in use" (CI: {@code QuorumDescribeFailoverTest}). Outgoing connections never take a port
 * below the ephemeral range, so a port chosen there stays free for its server.
 *
 * <p>Each port is handed out at most once per JVM and was bindable when chosen.
 */
public final class LoopbackPorts {
    private static final int LOWEST = 10_000;
    private static final Set<Integer> GIVEN = new HashSet<>();

    private LoopbackPorts() {
    }

    /** One free port; see {@link #free(int)}. */
    public static int free() {
        return free(1).get(0);
    }

    /**
     * {@code n} distinct ports, each free on 127.0.0.1 when chosen, none in the ephemeral range, none handed out
     * before in this JVM.
     *
     * @throws UncheckedIOException when no free port is left below the ephemeral range
     */
    public static synchronized List<Integer> free(int n) {
        int highest = ephemeralLow() - 1;
        List<Integer> ports = new ArrayList<>(n);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int tries = 0; ports.size() < n; tries++) {
            if (tries > 10 * (highest - LOWEST)) {
                throw new UncheckedIOException(new IOException("no free loopback port in " + LOWEST + "-" + highest));
            }
            int port = random.nextInt(LOWEST, highest + 1);
            if (!GIVEN.contains(port) && bindable(port)) {
                GIVEN.add(port);
                ports.add(port);
            }
        }
        return ports;
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port of the kernel's ephemeral range (32768 when it cannot be read). */
    static int ephemeralLow() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            return Math.max(LOWEST + 1_000, Integer.parseInt(range.split("\\s+")[0]));
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
