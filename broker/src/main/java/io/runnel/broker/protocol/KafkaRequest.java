package io.runnel.broker.protocol;

import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractRequest;

/**
 * A decoded request in a served version. Records fields of the body (Produce) are slices of the frame buffer: the
 * network layer keeps the frame alive until the request's response is ready.
 *
 * @param header      the request header (api key, version, correlation id, client id)
 * @param apiKey      the API
 * @param version     the request version, inside the served range
 * @param request     the body, wrapped by kafka-clients (its {@code getErrorResponse} builds error answers)
 * @param sizeInBytes the frame size without its 4-byte length prefix
 */
public record KafkaRequest(RequestHeaderData header, ApiKeys apiKey, short version, AbstractRequest request,
                           int sizeInBytes) implements Decoded {
    @Override
    public int correlationId() {
        return header.correlationId();
    }

    /** The generated body message (e.g. {@code ProduceRequestData}). */
    public ApiMessage body() {
        return request.data();
    }
}
