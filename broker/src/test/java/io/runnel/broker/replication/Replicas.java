package io.runnel.broker.replication;

import io.runnel.broker.node.RunnelNode;
import io.runnel.broker.replica.Partition;
import io.runnel.broker.testing.NodeCluster;
import io.runnel.log.FileSlice;
import io.runnel.metadata.image.TopicPartition;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Reads replicas' logs straight from the brokers of a {@link NodeCluster}, to compare them. */
final class Replicas {
    private Replicas() {
    }

    /** The hosted replica of {@code tp} on broker {@code id}, or null. */
    static Partition replica(NodeCluster cluster, int id, TopicPartition tp) {
        RunnelNode node = cluster.node(id);
        return node == null ? null : node.replicaManager().partition(tp);
    }

    /** Every batch byte of {@code p}'s log from its start up to {@code endOffset} (exclusive). */
    static byte[] bytesBelow(Partition p, long endOffset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long offset = p.logStartOffset();
        try {
            while (offset < endOffset) {
                FileSlice slice = p.log().read(offset, 1 << 20, endOffset);
                if (slice.isEmpty()) {
                    break;
                }
                ByteBuffer b = slice.readAll();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                out.write(bytes);
                offset = lastOffsetPlusOne(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** One past the last offset of the last whole batch in {@code bytes} (magic v2 layout). */
    private static long lastOffsetPlusOne(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long next = -1;
        while (b.remaining() >= 61) {
            int start = b.position();
            long base = b.getLong(start);
            int length = b.getInt(start + 8);
            int lastDelta = b.getInt(start + 23);
            next = base + lastDelta + 1;
            b.position(start + 12 + length);
        }
        return next;
    }

    /** Whether the replicas of {@code tp} on all brokers hold identical bytes below the smallest high watermark. */
    static boolean identicalBelowHighWatermark(NodeCluster cluster, TopicPartition tp) {
        long hw = Long.MAX_VALUE;
        for (int id = 1; id <= cluster.size(); id++) {
            Partition p = replica(cluster, id, tp);
            if (p == null) {
                return false;
            }
            hw = Math.min(hw, p.highWatermark());
        }
        byte[] first = null;
        for (int id = 1; id <= cluster.size(); id++) {
            byte[] b = bytesBelow(replica(cluster, id, tp), hw);
            if (first == null) {
                first = b;
            } else if (!Arrays.equals(first, b)) {
                return false;
            }
        }
        return true;
    }
}
