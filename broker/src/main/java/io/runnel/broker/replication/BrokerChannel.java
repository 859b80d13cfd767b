package io.runnel.broker.replication;

import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * A blocking connection from a follower to one leader broker, speaking Kafka's framing (4-byte size, request header,
 * body; the codec is kafka-clients' message classes): one request in flight at a time, as a replica fetcher thread
 * uses it. Not thread-safe, except that {@link #close} may be called from another thread to abort a blocked call.
 */
public final class BrokerChannel implements AutoCloseable {
    private final String clientId;
    private final int maxResponseBytes;
    private Socket socket;
    private DataInputStream in;
    private DataOutputStream out;
    private String host;
    private int port;
    private int correlationId;

    /**
     * @param clientId         sent in every request header (e.g. {@code replica-fetcher-2-0})
     * @param maxResponseBytes a response frame larger than this is a protocol error (bytes)
     */
    public BrokerChannel(String clientId, int maxResponseBytes) {
        this.clientId = clientId;
        this.maxResponseBytes = maxResponseBytes;
    }

    /** Whether the channel is connected to {@code host:port}. */
    public synchronized boolean connectedTo(String h, int p) {
        return socket != null && !socket.isClosed() && h.equals(host) && p == port;
    }

    /**
     * Connects to {@code host:port}, closing any connection to another address.
     *
     * @param timeoutMs connect timeout (ms)
     * @throws IOException when the connection fails
     */
    public void connect(String h, int p, int timeoutMs) throws IOException {
        close();
        Socket s = new Socket();
        synchronized (this) {
            socket = s;
            host = h;
            port = p;
        }
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(h, p), timeoutMs);
            in = new DataInputStream(s.getInputStream());
            out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 64 * 1024));
        } catch (IOException | RuntimeException e) {
            close(); // e.g. a connect timeout leaves the socket open but unconnected: the next call must reconnect
            throw e;
        }
    }

    /**
     * Sends {@code request} and waits for its response.
     *
     * @param timeoutMs how long to wait for the response (ms)
     * @throws IOException on a network error, a timeout, or a response that does not parse; the channel is closed
     */
    public AbstractResponse send(AbstractRequest request, int timeoutMs) throws IOException {
        if (out == null) {
            close();
            throw new IOException("not connected");
        }
        try {
            RequestHeader header = new RequestHeader(request.apiKey(), request.version(), clientId, ++correlationId);
            ByteBuffer frame = request.serializeWithHeader(header);
            byte[] bytes = new byte[frame.remaining()];
            frame.get(bytes);
            out.writeInt(bytes.length);
            out.write(bytes);
            out.flush();
            socket.setSoTimeout(timeoutMs);
            int size = in.readInt();
            if (size < 0 || size > maxResponseBytes) {
                throw new IOException("response of " + size + " bytes from " + host + ":" + port
                        + " exceeds the limit of " + maxResponseBytes + " bytes");
            }
            byte[] body = new byte[size];
            in.readFully(body);
            return AbstractResponse.parseResponse(ByteBuffer.wrap(body), header);
        } catch (IOException e) {
            close();
            throw e;
        } catch (RuntimeException e) {
            close();
            throw new IOException("malformed response from " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        Socket s;
        synchronized (this) {
            s = socket;
            socket = null;
        }
        in = null;
        out = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
