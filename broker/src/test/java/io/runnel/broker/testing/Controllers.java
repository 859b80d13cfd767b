package io.runnel.broker.testing;

import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.quorum.QuorumVoter;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Controller clients for tests. */
public final class Controllers {
    private Controllers() {
    }

    /**
     * A client of a quorum that does not exist (one voter on a free port nobody listens on): every call fails after
     * 500 ms with REQUEST_TIMED_OUT or NOT_CONTROLLER. For brokers tested without a metadata quorum.
     */
    public static ControllerClient detachedClient(String clusterId) {
        int port = Ports.free(1).get(0);
        return ControllerClient.create(clusterId, List.of(new QuorumVoter(1, "127.0.0.1", port)),
                Duration.ofMillis(500));
    }

    /** Closes {@code client}, ignoring failures. */
    public static void closeQuietly(ControllerClient client) {
        try {
            client.close();
        } catch (IOException | RuntimeException ignored) {
            // best effort in tests
        }
    }
}
