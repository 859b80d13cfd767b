package io.runnel.compat.connect;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.utils.internals.Exit;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;

/**
 * One Kafka Connect distributed worker (connect-runtime 4.4) in this JVM, started the public way, through
 * {@link ConnectDistributed#startConnect(Map)} as {@code connect-distributed.sh} does, with the worker properties a
 * test passes. Its REST listener is {@code http://127.0.0.1:<restPort>}.
 *
 * <p>While a worker runs, Kafka's {@code Exit.exit}/{@code Exit.halt} (which Connect calls when it cannot start)
 * throw instead of ending the test JVM.
 */
public final class ConnectWorker implements AutoCloseable {

    /** Upper bound for starting or stopping a worker, seconds. */
    public static final long TIMEOUT_SECONDS = 120;

    private final Connect<?> connect;
    private final URI rest;
    private boolean stopped;

    private ConnectWorker(Connect<?> connect, URI rest) {
        this.connect = connect;
        this.rest = rest;
    }

    /**
     * The worker properties for a distributed worker against {@code bootstrap}: the three internal topics (each with
     * replication factor 1), JSON converters without schemas, the REST listener on {@code 127.0.0.1:restPort}, and
     * short flush and rebalance-delay intervals so that the test runs in seconds.
     */
    public static Map<String, String> workerProps(String bootstrap, String groupId, String topicPrefix, int restPort) {
        Map<String, String> p = new HashMap<>();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", groupId);
        p.put("config.storage.topic", topicPrefix + "-configs");
        p.put("offset.storage.topic", topicPrefix + "-offsets");
        p.put("status.storage.topic", topicPrefix + "-status");
        p.put("config.storage.replication.factor", "1");
        p.put("offset.storage.replication.factor", "1");
        p.put("status.storage.replication.factor", "1");
        p.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.put("key.converter.schemas.enable", "false");
        p.put("value.converter.schemas.enable", "false");
        p.put("listeners", "http://127.0.0.1:" + restPort);
        p.put("rest.advertised.host.name", "127.0.0.1");
        p.put("rest.advertised.port", Integer.toString(restPort));
        // No plugin.path: plugins come from the classpath; the test's connector has a ServiceLoader manifest.
        p.put("plugin.discovery", "service_load");
        p.put("offset.flush.interval.ms", "1000");
        // A worker that left is not waited for (the default is five minutes).
        p.put("scheduled.rebalance.max.delay.ms", "1000");
        return p;
    }

    /**
     * Starts a worker and returns once {@link Connect#start()} returned (the REST server is up; the herder joins
     * the group in the background).
     *
     * @param restPort the port of the {@code listeners} entry in {@code props}
     * @throws IllegalStateException when Connect asks to exit (it could not start), with its exit code and message
     */
    public static ConnectWorker start(Map<String, String> props, int restPort) {
        Exit.setExitProcedure((code, message) -> {
            throw new IllegalStateException("Connect asked to exit with " + code + ": " + message);
        });
        Exit.setHaltProcedure((code, message) -> {
            throw new IllegalStateException("Connect asked to halt with " + code + ": " + message);
        });
        try {
            Connect<?> connect = new ConnectDistributed().startConnect(props);
            return new ConnectWorker(connect, URI.create("http://127.0.0.1:" + restPort));
        } catch (RuntimeException | Error e) {
            Exit.resetExitProcedure();
            Exit.resetHaltProcedure();
            throw e;
        }
    }

    /** The worker's REST base URI, {@code http://127.0.0.1:<port>}. */
    public URI rest() {
        return rest;
    }

    /**
     * Stops the worker (it leaves the group, stops its connectors and tasks, committing their source offsets) and
     * waits, bounded by {@link #TIMEOUT_SECONDS}, until it has stopped.
     *
     * @throws AssertionError when it has not stopped in time
     */
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
            connect.stop();
            connect.awaitStop();
        });
        try {
            done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the Connect worker did not stop within " + TIMEOUT_SECONDS + " s", e);
        } catch (ExecutionException e) {
            throw new AssertionError("stopping the Connect worker failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted stopping the Connect worker", e);
        } finally {
            Exit.resetExitProcedure();
            Exit.resetHaltProcedure();
        }
    }

    /** {@link #stop()}, if not done yet. */
    @Override
    public void close() {
        stop();
    }
}
