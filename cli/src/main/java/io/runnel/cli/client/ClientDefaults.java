package io.runnel.cli.client;

/**
 * Time limits the Runnel CLI applies to kafka-clients unless the user's own client properties say otherwise, so that
 * a command against a dead or unreachable broker fails within a bounded time instead of hanging.
 */
public final class ClientDefaults {

    /**
     * Admin {@code default.api.timeout.ms} and {@code request.timeout.ms}, and the bound on the metadata look-ups the
     * console and perf commands make before they start, in milliseconds.
     */
    public static final int API_TIMEOUT_MS = 15_000;

    /** How long the TCP reachability check waits for one bootstrap address to accept a connection, milliseconds. */
    public static final int CONNECT_TIMEOUT_MS = 10_000;

    private ClientDefaults() {}
}
