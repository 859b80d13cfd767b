package io.runnel.cli.client;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Time limits the Runnel CLI applies to kafka-clients unless the user's own client properties say otherwise, so that
 * a command against a dead or unreachable broker fails within a bounded time instead of hanging, and a command against
 * a cluster with one hung broker (SIGSTOPped, swapping, GC-bound: it accepts TCP connections but never answers) still
 * succeeds through the others.
 */
public final class ClientDefaults {

    /**
     * Admin {@code default.api.timeout.ms} (how long one admin call may take, retries included), and the bound on the
     * metadata look-ups the console and perf commands make before they start, in milliseconds. Kafka's default is
     * 60000.
     */
    public static final int API_TIMEOUT_MS = 30_000;

    /**
     * Admin {@code request.timeout.ms}: how long one request waits for its answer before the Admin drops that
     * connection and retries the call on another broker, in milliseconds. It must stay well below
     * {@link #API_TIMEOUT_MS}: when the two are equal, a call the Admin happens to send to a hung broker uses up its
     * whole time there and fails although the other brokers would answer at once. Kafka's default is 30000, half of
     * its API timeout.
     */
    public static final int REQUEST_TIMEOUT_MS = 10_000;

    /** How long the TCP reachability check waits for one bootstrap address to accept a connection, milliseconds. */
    public static final int CONNECT_TIMEOUT_MS = 10_000;

    private ClientDefaults() {}

    /**
     * Admin client properties as Kafka's tools build them: the {@code --command-config} file, then the bootstrap list,
     * then {@link #API_TIMEOUT_MS} and a request timeout unless the file sets them. When the file sets only {@code
     * default.api.timeout.ms}, the request timeout is a third of it (at most {@link #REQUEST_TIMEOUT_MS}), so a call
     * can still move off a hung broker.
     *
     * @param commandConfig the properties file, or null for none
     * @param bootstrapServers the {@code --bootstrap-server} value, {@code HOST:PORT[,HOST:PORT...]}
     * @return new properties for {@code Admin.create}
     * @throws io.runnel.cli.CliException when the file is missing or unreadable
     */
    public static Properties admin(Path commandConfig, String bootstrapServers) {
        Properties props = ClientProperties.load(commandConfig);
        props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        ClientProperties.putIfAbsent(props, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, API_TIMEOUT_MS);
        long apiTimeoutMs = parseMs(props.getProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG), API_TIMEOUT_MS);
        ClientProperties.putIfAbsent(props, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                Math.max(1, Math.min(REQUEST_TIMEOUT_MS, apiTimeoutMs / 3)));
        return props;
    }

    /** The value in ms, or {@code fallback} when it is not a number (the Admin then reports the bad value). */
    private static long parseMs(String value, long fallback) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
