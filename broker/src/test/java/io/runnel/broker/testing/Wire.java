package io.runnel.broker.testing;

import io.netty.buffer.ByteBuf;
import io.netty.channel.FileRegion;
import io.netty.util.ReferenceCountUtil;
import io.runnel.broker.protocol.EncodedResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;

/** Turns an {@link EncodedResponse} into the bytes a socket would carry, releasing its parts. */
public final class Wire {
    private Wire() {
    }

    public static byte[] bytes(EncodedResponse response) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (WritableByteChannel channel = Channels.newChannel(out)) {
            for (Object part : response.parts()) {
                if (part instanceof ByteBuf buf) {
                    byte[] b = new byte[buf.readableBytes()];
                    buf.getBytes(buf.readerIndex(), b);
                    out.write(b);
                } else if (part instanceof FileRegion region) {
                    long sent = 0;
                    while (sent < region.count()) {
                        sent += region.transferTo(channel, sent);
                    }
                } else {
                    throw new IllegalStateException("unexpected part " + part);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            response.parts().forEach(ReferenceCountUtil::safeRelease);
        }
        return out.toByteArray();
    }
}
