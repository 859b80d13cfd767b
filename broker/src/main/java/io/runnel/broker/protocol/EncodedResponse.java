package io.runnel.broker.protocol;

import io.netty.util.ReferenceCountUtil;

import java.util.List;

/**
 * One response ready for the socket: its parts in order, {@code ByteBuf}s (size, header, body bytes) and netty
 * {@code FileRegion}s (log records sent with zero copy). The caller owns the parts: it writes each once (netty
 * releases what it writes) or calls {@link #release()}.
 *
 * @param parts      ByteBufs and FileRegions, in wire order
 * @param totalBytes bytes on the wire, the 4-byte size prefix included
 */
public record EncodedResponse(List<Object> parts, long totalBytes) {
    public EncodedResponse {
        parts = List.copyOf(parts);
    }

    /** Releases every part (when the response will not be written). */
    public void release() {
        parts.forEach(ReferenceCountUtil::safeRelease);
    }
}
