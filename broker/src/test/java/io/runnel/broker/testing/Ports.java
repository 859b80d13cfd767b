package io.runnel.broker.testing;

import io.runnel.metadata.testing.LoopbackPorts;

import java.util.List;

/** Free loopback ports for tests (below the ephemeral range: {@link LoopbackPorts}). */
public final class Ports {
    private Ports() {
    }

    /** {@code n} distinct ports that were free on 127.0.0.1 a moment ago and that no outgoing connection takes. */
    public static List<Integer> free(int n) {
        return LoopbackPorts.free(n);
    }
}
