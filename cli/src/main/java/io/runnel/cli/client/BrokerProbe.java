package io.runnel.cli.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;

/**
 * A quick TCP check that at least one bootstrap address accepts connections. kafka-clients retry an unreachable
 * broker silently until their timeouts expire; checking first turns "nothing listens there" into an immediate,
 * clear error ({@code cannot reach broker at HOST:PORT}). The check only opens and closes a TCP connection; it sends
 * no bytes.
 */
public final class BrokerProbe {

    private BrokerProbe() {}

    /**
     * Tries each address in turn until one accepts a connection.
     *
     * @param servers the bootstrap list
     * @param connectTimeoutMs how long to wait for each address, milliseconds
     * @throws io.runnel.cli.CliException {@code cannot reach broker at <servers>} with the last failure's reason
     */
    public static void requireReachable(BootstrapServers servers, int connectTimeoutMs) {
        String lastFailure = "no address to try";
        for (InetSocketAddress address : servers.addresses()) {
            String failure = tryConnect(address, connectTimeoutMs);
            if (failure == null) {
                return;
            }
            lastFailure = failure;
        }
        throw new io.runnel.cli.CliException("cannot reach broker at " + servers + " (" + lastFailure + ")");
    }

    /** @return true when some bootstrap address accepts a TCP connection within the timeout */
    public static boolean reachable(BootstrapServers servers, int connectTimeoutMs) {
        for (InetSocketAddress address : servers.addresses()) {
            if (tryConnect(address, connectTimeoutMs) == null) {
                return true;
            }
        }
        return false;
    }

    /** @return null on success, else a short reason such as {@code connection refused} */
    private static String tryConnect(InetSocketAddress address, int connectTimeoutMs) {
        InetAddress[] candidates;
        try {
            candidates = InetAddress.getAllByName(address.getHostString());
        } catch (UnknownHostException e) {
            return "unknown host " + address.getHostString();
        }
        String failure = "no address for " + address.getHostString();
        for (InetAddress candidate : candidates) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(candidate, address.getPort()), connectTimeoutMs);
                return null;
            } catch (java.net.SocketTimeoutException e) {
                failure = "no answer within " + connectTimeoutMs + " ms";
            } catch (java.net.ConnectException e) {
                failure = "connection refused";
            } catch (IOException e) {
                failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
        }
        return failure;
    }
}
