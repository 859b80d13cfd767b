package io.runnel.broker.protocol;

/**
 * The result of decoding one request frame: a {@link KafkaRequest} for a handler, or an {@link ImmediateReply}
 * the codec could answer by itself (ApiVersions at an unsupported version, Produce v0-2).
 */
public sealed interface Decoded permits KafkaRequest, ImmediateReply {
    /** The header's correlation id. */
    int correlationId();
}
