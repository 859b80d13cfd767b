package io.runnel.broker.protocol;

import org.apache.kafka.common.protocol.ApiKeys;

/**
 * A frame the codec answered by itself, without a handler.
 *
 * @param correlationId the request's correlation id
 * @param apiKey        the request's API
 * @param version       the request's version
 * @param response      what to send
 * @param reason        why no handler was involved, for the log
 */
public record ImmediateReply(int correlationId, ApiKeys apiKey, short version, ApiResponse response, String reason)
        implements Decoded {
}
