package io.runnel.metadata.quorum;

import io.runnel.metadata.errors.ErrorCode;
import io.runnel.metadata.record.MetadataApplyReply;
import io.runnel.metadata.record.MetadataRecordBatch;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * Submits record batches to the metadata quorum. A submit completes once the leader has committed the entry and
 * applied it (the reply comes from the leader's state machine); it completes exceptionally with a Ratis exception
 * when no leader accepts it within the bounded retry policy ({@link RatisSettings#CLIENT_MAX_ATTEMPTS} attempts,
 * {@link RatisSettings#CLIENT_REQUEST_TIMEOUT} each). Business rejections are not exceptions: see
 * {@link MetadataApplyReply#getErrorCode()}. Thread-safe.
 */
public final class QuorumClient implements AutoCloseable {
    private final RaftClient client;

    public QuorumClient(RaftGroup group) {
        this.client = RaftClient.newBuilder()
                .setRaftGroup(group)
                .setProperties(RatisSettings.client())
                .setRetryPolicy(RatisSettings.clientRetryPolicy())
                .build();
    }

    /** Sends one batch (one Ratis entry, applied atomically). */
    public CompletableFuture<MetadataApplyReply> submit(MetadataRecordBatch batch) {
        // Ratis shades protobuf: hand it our bytes, never our ByteString.
        Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(batch.toByteArray()));
        return client.async().send(message).thenApply(QuorumClient::decode);
    }

    private static MetadataApplyReply decode(RaftClientReply reply) {
        if (!reply.isSuccess()) {
            throw new CompletionException(reply.getException() != null ? reply.getException()
                    : new IOException("metadata write failed: " + reply));
        }
        try {
            return MetadataApplyReply.parseFrom(reply.getMessage().getContent().toByteArray());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new CompletionException(e);
        }
    }

    /** The error of a reply as an enum. */
    public static ErrorCode error(MetadataApplyReply reply) {
        return ErrorCode.forCode(reply.getErrorCode());
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
