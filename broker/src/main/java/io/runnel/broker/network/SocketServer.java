package io.runnel.broker.network;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.runnel.broker.protocol.RequestDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The Kafka protocol server: one netty server channel per listener, one pipeline per connection
 * ({@code LengthFieldBasedFrameDecoder} with a 4-byte size and {@code socket.request.max.bytes} as the largest frame,
 * then a {@link ConnectionHandler}). NIO transport, so that file regions go out with {@code FileChannel.transferTo}.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class SocketServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SocketServer.class);
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final ChannelGroup channels = new DefaultChannelGroup("runnel-connections", GlobalEventExecutor.INSTANCE);
    private final Map<String, InetSocketAddress> bound = new LinkedHashMap<>();
    private boolean closed;

    private SocketServer(EventLoopGroup acceptors, EventLoopGroup workers) {
        this.acceptors = acceptors;
        this.workers = workers;
    }

    /**
     * Binds every listener and starts serving. Each connection's requests are handed to {@code dispatcher} one at a
     * time on {@code requestPool} ({@code num.io.threads}).
     *
     * @throws IllegalStateException naming the listener when a bind fails (the server is closed again)
     */
    public static SocketServer start(List<ListenerConfig> listeners, NetworkSettings settings,
                                     RequestDecoder decoder, RequestDispatcher dispatcher,
                                     Executor requestPool) {
        SocketServer server = new SocketServer(
                new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("runnel-acceptor", true),
                        NioIoHandler.newFactory()),
                new MultiThreadIoEventLoopGroup(settings.networkThreads(),
                        new DefaultThreadFactory("runnel-network", true), NioIoHandler.newFactory()));
        try {
            for (ListenerConfig listener : listeners) {
                server.bind(listener, settings, decoder, dispatcher, requestPool);
            }
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void bind(ListenerConfig listener, NetworkSettings settings, RequestDecoder decoder,
                      RequestDispatcher dispatcher, Executor requestPool) {
        ServerBootstrap b = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        ch.pipeline()
                                .addLast("frames", new LengthFieldBasedFrameDecoder(settings.maxRequestBytes(),
                                        0, 4, 0, 4, true))
                                .addLast("requests", new ConnectionHandler(listener, decoder, dispatcher,
                                        settings.maxInFlightPerConnection(), requestPool));
                    }
                });
        if (settings.sendBufferBytes() > 0) {
            b.childOption(ChannelOption.SO_SNDBUF, settings.sendBufferBytes());
        }
        if (settings.receiveBufferBytes() > 0) {
            b.childOption(ChannelOption.SO_RCVBUF, settings.receiveBufferBytes());
        }
        String host = listener.host() == null || listener.host().isEmpty() ? null : listener.host();
        InetSocketAddress address = host == null ? new InetSocketAddress(listener.port())
                : new InetSocketAddress(host, listener.port());
        Channel channel;
        try {
            channel = b.bind(address).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot bind listener " + listener.name() + " to " + address + ": " + e,
                    e);
        }
        channels.add(channel);
        InetSocketAddress local = (InetSocketAddress) channel.localAddress();
        synchronized (this) {
            bound.put(listener.name(), local);
        }
        LOG.info("Listening for Kafka clients on {}://{}:{}", listener.name(), local.getHostString(), local.getPort());
    }

    /**
     * The port a listener is bound to (the real one when configured with port 0).
     *
     * @throws IllegalArgumentException for a listener that is not bound
     */
    public synchronized int boundPort(String listenerName) {
        InetSocketAddress a = bound.get(listenerName);
        if (a == null) {
            throw new IllegalArgumentException("no listener named " + listenerName);
        }
        return a.getPort();
    }

    /** Closes every listener and connection and stops the event loops (waiting at most a few seconds). */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
