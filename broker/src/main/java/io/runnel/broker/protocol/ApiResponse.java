package io.runnel.broker.protocol;

import org.apache.kafka.common.protocol.ApiMessage;

import java.util.Objects;

/**
 * What to do once a request has been handled: send a response body, send nothing (Produce with acks=0), or close
 * the connection (Kafka closes an acks=0 producer's connection when its produce failed, so that it refreshes its
 * metadata). Immutable.
 */
public sealed interface ApiResponse {
    /** Send {@code body} encoded at the request's version, with the response header version that version needs. */
    record Send(ApiMessage body) implements ApiResponse {
        public Send {
            Objects.requireNonNull(body, "body");
        }
    }

    /**
     * Send {@code body} at {@code version} rather than the request's version, with header v0: the ApiVersions
     * fallback (a request at an unsupported version is answered with a v0 body, KIP-511).
     */
    record SendAtVersion(ApiMessage body, short version) implements ApiResponse {
        public SendAtVersion {
            Objects.requireNonNull(body, "body");
        }
    }

    /** Send {@code body}, already encoded, after a v0 response header (correlation id only). */
    record Raw(byte[] body) implements ApiResponse {
        public Raw {
            Objects.requireNonNull(body, "body");
        }
    }

    /** Send nothing (Produce with acks=0). */
    record None() implements ApiResponse {
    }

    /** Send nothing and close the connection after the responses queued before it, logging {@code reason}. */
    record Close(String reason) implements ApiResponse {
    }

    /** A response of {@code body}. */
    static ApiResponse send(ApiMessage body) {
        return new Send(body);
    }

    /** No response. */
    static ApiResponse none() {
        return new None();
    }

    /** Close the connection. */
    static ApiResponse close(String reason) {
        return new Close(reason);
    }
}
