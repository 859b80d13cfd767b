package io.runnel.broker.testing;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.fail;

/** A bare socket speaking the Kafka framing, for requests real clients never send. Reads time out after 10 s. */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    public RawClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Writes raw bytes. */
    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Writes a size-prefixed frame. */
    public void writeFrame(ByteBuffer frame) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + frame.remaining());
        b.putInt(frame.remaining()).put(frame.duplicate());
        write(b.array());
    }

    /** Sends a request serialized by kafka-clients. */
    public void send(AbstractRequest request, int correlationId) throws IOException {
        writeFrame(request.serializeWithHeader(new RequestHeader(request.apiKey(), request.version(), "raw",
                correlationId)));
    }

    /** Reads one response frame (without its size). */
    public ByteBuffer readFrame() throws IOException {
        int size = in.readInt();
        byte[] b = new byte[size];
        in.readFully(b);
        return ByteBuffer.wrap(b);
    }

    /** Reads and parses the response to a request of {@code api} at {@code version} with {@code correlationId}. */
    public AbstractResponse read(ApiKeys api, short version, int correlationId) throws IOException {
        return AbstractResponse.parseResponse(readFrame(), new RequestHeader(api, version, "raw", correlationId));
    }

    /** Fails unless the broker closes the connection within the read timeout. */
    public void assertClosedByBroker() throws IOException {
        try {
            while (true) {
                if (in.read() < 0) {
                    return;
                }
            }
        } catch (EOFException | SocketException e) {
            return; // reset by the broker
        } catch (SocketTimeoutException e) {
            fail("the broker kept the connection open");
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
