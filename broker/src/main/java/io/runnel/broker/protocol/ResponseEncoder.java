package io.runnel.broker.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageSizeAccumulator;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

import java.util.List;

/**
 * Encodes responses (DESIGN.md section 2): one {@link ObjectSerializationCache} per response, {@code addSize()}
 * before {@code write()}, then the 4-byte size, the {@code ResponseHeaderData} at
 * {@code apiKey.responseHeaderVersion(v)} (ApiVersions always uses header v0) and the body. Records fields are not
 * copied (see {@link ResponseWriter}).
 *
 * <p>Generated {@code write()} throws {@code UnsupportedVersionException} when a field is set that the version
 * lacks: handlers fill fields per version. Stateless and thread-safe.
 */
public final class ResponseEncoder {
    private ResponseEncoder() {
    }

    /**
     * Encodes {@code response} for a request of {@code apiKey} at {@code requestVersion}.
     *
     * @return the parts to write, or null for {@link ApiResponse.None} and {@link ApiResponse.Close}
     * @throws RuntimeException from kafka-clients when the body does not fit the version (a handler bug)
     */
    public static EncodedResponse encode(ByteBufAllocator alloc, int correlationId, ApiKeys apiKey,
                                         short requestVersion, ApiResponse response) {
        if (response instanceof ApiResponse.Send send) {
            return encode(alloc, correlationId, send.body(), requestVersion, apiKey.responseHeaderVersion(requestVersion));
        }
        if (response instanceof ApiResponse.SendAtVersion at) {
            return encode(alloc, correlationId, at.body(), at.version(), (short) 0);
        }
        if (response instanceof ApiResponse.Raw raw) {
            ByteBuf buf = alloc.buffer(8 + raw.body().length);
            buf.writeInt(4 + raw.body().length).writeInt(correlationId).writeBytes(raw.body());
            return new EncodedResponse(List.of(buf), buf.readableBytes());
        }
        return null;
    }

    /** Encodes {@code body} at {@code version} after a response header at {@code headerVersion}. */
    public static EncodedResponse encode(ByteBufAllocator alloc, int correlationId, ApiMessage body, short version,
                                         short headerVersion) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(correlationId);
        MessageSizeAccumulator headerSize = new MessageSizeAccumulator();
        header.addSize(headerSize, cache, headerVersion);
        MessageSizeAccumulator bodySize = new MessageSizeAccumulator();
        body.addSize(bodySize, cache, version);
        int size = headerSize.totalSize() + bodySize.totalSize();
        ByteBuf buf = alloc.buffer(4 + headerSize.totalSize() + bodySize.sizeExcludingZeroCopy());
        ResponseWriter writer = new ResponseWriter(buf);
        try {
            buf.writeInt(size);
            header.write(writer, cache, headerVersion);
            body.write(writer, cache, version);
            return new EncodedResponse(writer.finish(), 4L + size);
        } catch (RuntimeException e) {
            writer.discard();
            throw e;
        }
    }
}
