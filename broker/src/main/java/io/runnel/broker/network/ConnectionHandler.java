package io.runnel.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.Decoded;
import io.runnel.broker.protocol.EncodedResponse;
import io.runnel.broker.protocol.ImmediateReply;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.MalformedRequestException;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.protocol.RequestDecoder;
import io.runnel.broker.protocol.ResponseEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The per-connection end of the pipeline, after the length-field frame decoder: decodes each frame, hands it to the
 * {@link RequestDispatcher}, and writes responses in request order ({@link ResponseSequencer}). Reading pauses while
 * {@code maxInFlight} requests are unanswered or the socket is not writable.
 *
 * <p>A frame that cannot be served (unknown API key, version out of range, bytes that do not parse, a frame over
 * {@code socket.request.max.bytes} or with a negative size) closes this connection only, with one log line.
 *
 * <p>Requests are handled one at a time per connection, in arrival order, on the shared request pool
 * ({@link SerialExecutor}): a handler's synchronous part (e.g. a Produce append) finishes before the next request's
 * starts, while its asynchronous part (a long poll, an acks=-1 wait) may overlap later requests.
 *
 * <p>The request frame (a retained slice of netty's read buffer) is released once the handler's future completes:
 * Produce records are slices of it until the append is done.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);
    private final ListenerConfig listener;
    private final RequestDecoder decoder;
    private final RequestDispatcher dispatcher;
    private final int maxInFlight;
    private final SerialExecutor serial;
    private final ResponseSequencer sequencer = new ResponseSequencer();
    private ChannelHandlerContext ctx;
    private String connectionId = "?";
    private InetSocketAddress remote;
    private boolean closing;

    ConnectionHandler(ListenerConfig listener, RequestDecoder decoder, RequestDispatcher dispatcher, int maxInFlight,
                      Executor requestPool) {
        this.listener = listener;
        this.decoder = decoder;
        this.dispatcher = dispatcher;
        this.maxInFlight = maxInFlight;
        this.serial = new SerialExecutor(requestPool);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) throws Exception {
        this.remote = (InetSocketAddress) context.channel().remoteAddress();
        this.connectionId = context.channel().localAddress() + "-" + remote;
        super.channelActive(context);
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        if (closing) {
            frame.release();
            return;
        }
        Decoded decoded;
        try {
            decoded = decoder.decode(nioView(frame));
        } catch (MalformedRequestException e) {
            frame.release();
            closeWithReason(e.getMessage());
            return;
        }
        if (decoded instanceof ImmediateReply reply) {
            frame.release();
            LOG.debug("Answering {} on {} without a handler: {}", reply.apiKey(), connectionId, reply.reason());
            ResponseSequencer.Slot slot = sequencer.add(reply.correlationId(), reply.apiKey(), reply.version());
            sequencer.complete(slot, reply.response());
            drain();
            return;
        }
        KafkaRequest request = (KafkaRequest) decoded;
        ResponseSequencer.Slot slot = sequencer.add(request.correlationId(), request.apiKey(), request.version());
        RequestContext requestContext = new RequestContext(connectionId, listener.name(), listener.securityProtocol(),
                remote, request.apiKey(), request.version(), request.correlationId(), request.header().clientId());
        try {
            serial.execute(() -> handle(requestContext, request, frame, slot));
        } catch (RuntimeException e) { // the pool is shutting down
            frame.release();
            sequencer.complete(slot, ApiResponse.close("the broker is shutting down"));
            drain();
            return;
        }
        updateAutoRead();
    }

    /** Runs on the connection's serial executor: one request at a time, in arrival order. */
    private void handle(RequestContext requestContext, KafkaRequest request, ByteBuf frame,
                        ResponseSequencer.Slot slot) {
        CompletableFuture<ApiResponse> future;
        try {
            future = dispatcher.dispatch(requestContext, request);
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((response, error) -> {
            frame.release();
            ApiResponse outcome = error == null ? response
                    : ApiResponse.close("handling " + requestContext + " failed: " + error);
            if (ctx.executor().inEventLoop()) {
                completed(slot, outcome);
            } else {
                ctx.executor().execute(() -> completed(slot, outcome));
            }
        });
    }

    private static ByteBuffer nioView(ByteBuf frame) {
        if (frame.nioBufferCount() == 1) {
            return frame.nioBuffer();
        }
        ByteBuffer copy = ByteBuffer.allocate(frame.readableBytes());
        frame.getBytes(frame.readerIndex(), copy);
        return copy.flip();
    }

    private void completed(ResponseSequencer.Slot slot, ApiResponse response) {
        sequencer.complete(slot, response);
        drain();
    }

    private void drain() {
        boolean wrote = false;
        ResponseSequencer.Slot slot;
        while (!closing && (slot = sequencer.pollReady()) != null) {
            if (slot.response instanceof ApiResponse.Close close) {
                if (wrote) {
                    ctx.flush();
                }
                closeWithReason(close.reason());
                return;
            }
            EncodedResponse encoded;
            try {
                encoded = ResponseEncoder.encode(ctx.alloc(), slot.correlationId, slot.apiKey, slot.version,
                        slot.response);
            } catch (RuntimeException e) {
                LOG.error("Closing connection {}: cannot encode the {} v{} response (correlation {})", connectionId,
                        slot.apiKey.name, slot.version, slot.correlationId, e);
                closing = true;
                ctx.close();
                return;
            }
            if (encoded != null) {
                for (Object part : encoded.parts()) {
                    ctx.write(part, ctx.voidPromise());
                }
                wrote = true;
            }
        }
        if (wrote) {
            ctx.flush();
        }
        updateAutoRead();
    }

    private void updateAutoRead() {
        if (closing) {
            return;
        }
        boolean read = sequencer.size() < maxInFlight && ctx.channel().isWritable();
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) throws Exception {
        updateAutoRead();
        super.channelWritabilityChanged(context);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        closing = true;
        sequencer.clear();
        super.channelInactive(context);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (closing) {
            return;
        }
        if (cause instanceof TooLongFrameException || cause instanceof CorruptedFrameException) {
            closeWithReason("bad frame: " + cause.getMessage());
        } else if (cause instanceof IOException) {
            LOG.debug("Connection {} failed: {}", connectionId, cause.toString());
            closing = true;
            context.close();
        } else if (cause instanceof DecoderException) {
            closeWithReason("cannot read a frame: " + cause.getMessage());
        } else {
            LOG.error("Closing connection {} after an unexpected error", connectionId, cause);
            closing = true;
            context.close();
        }
    }

    private void closeWithReason(String reason) {
        if (closing) {
            return;
        }
        closing = true;
        LOG.warn("Closing connection {} on listener {}: {}", connectionId, listener.name(), reason);
        ctx.close();
    }
}
