package io.runnel.broker.protocol;

import io.netty.channel.DefaultFileRegion;

import java.nio.channels.FileChannel;

/**
 * A netty {@link DefaultFileRegion} over a log segment's channel that leaves the channel open when released: the
 * segment owns it and other readers share it. {@code DefaultFileRegion} itself closes its channel on release.
 */
final class SharedFileRegion extends DefaultFileRegion {
    /**
     * @param channel  the segment file's channel, shared (only positional transfers are made)
     * @param position first byte to send
     * @param count    bytes to send
     */
    SharedFileRegion(FileChannel channel, long position, long count) {
        super(channel, position, count);
    }

    @Override
    protected void deallocate() {
        // the log segment owns the channel
    }
}
