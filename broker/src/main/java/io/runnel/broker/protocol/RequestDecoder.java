package io.runnel.broker.protocol;

import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestAndSize;

import java.nio.ByteBuffer;

/**
 * Decodes one request frame (the bytes after the 4-byte size) with kafka-clients' generated message classes
 * (DESIGN.md section 2): peek api key and version, check them against the {@link ApiVersionTable}, parse the
 * header at {@code ApiKeys.requestHeaderVersion(v)}, then the body with {@code AbstractRequest.parseRequest}.
 *
 * <p>Special cases, answered without a handler ({@link ImmediateReply}):
 * <ul>
 *   <li>ApiVersions above the advertised range: a v0 body with header v0, error UNSUPPORTED_VERSION (35) and
 *       {@code api_keys} holding ApiVersions' own range, so that the client retries at a version it finds there
 *       (KIP-511; Kafka protocol guide, "Retrieving Supported API versions"). The body is not parsed.</li>
 *   <li>Produce v0-2 (advertised, not served): UNSUPPORTED_VERSION for every partition, see
 *       {@link LegacyProduceRejection}.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class RequestDecoder {
    private final ApiVersionTable table;

    /** @param table the versions this broker offers */
    public RequestDecoder(ApiVersionTable table) {
        this.table = table;
    }

    /** The table the decoder checks versions against. */
    public ApiVersionTable table() {
        return table;
    }

    /**
     * Decodes {@code frame} from its position to its limit. The returned request's records fields share the
     * frame's memory.
     *
     * @throws MalformedRequestException for an unknown or unoffered API key, a version outside the advertised range
     *                                   (except ApiVersions), or bytes that do not parse
     */
    public Decoded decode(ByteBuffer frame) {
        int size = frame.remaining();
        if (size < 8) {
            throw new MalformedRequestException("frame of " + size + " bytes is too short for a request header");
        }
        int start = frame.position();
        short key = frame.getShort(start);
        short version = frame.getShort(start + 2);
        int correlationId = frame.getInt(start + 4);
        if (!ApiKeys.hasId(key)) {
            throw new MalformedRequestException("unknown api key " + key + " (version " + version + ")");
        }
        ApiKeys apiKey = ApiKeys.forId(key);
        VersionRange advertised = table.advertised(apiKey);
        if (advertised == null) {
            throw new MalformedRequestException("api " + apiKey.name + " (key " + key + ") is not offered");
        }
        if (!advertised.contains(version)) {
            if (apiKey == ApiKeys.API_VERSIONS) {
                return new ImmediateReply(correlationId, apiKey, version,
                        new ApiResponse.SendAtVersion(apiVersionsFallback(), (short) 0),
                        "ApiVersions v" + version + " is above " + advertised.max());
            }
            throw new MalformedRequestException("api " + apiKey.name + " version " + version
                    + " is outside the advertised range " + advertised);
        }
        ByteBufferAccessor accessor = new ByteBufferAccessor(frame.slice());
        RequestHeaderData header;
        try {
            header = new RequestHeaderData(accessor, apiKey.requestHeaderVersion(version));
        } catch (RuntimeException e) {
            throw new MalformedRequestException("unparseable " + apiKey.name + " v" + version + " header: " + e, e);
        }
        VersionRange served = table.served(apiKey);
        if (!served.contains(version)) {
            if (apiKey == ApiKeys.PRODUCE) {
                return LegacyProduceRejection.reply(header, accessor.buffer());
            }
            throw new MalformedRequestException("api " + apiKey.name + " version " + version + " is not served");
        }
        try {
            RequestAndSize parsed = AbstractRequest.parseRequest(apiKey, version, accessor);
            return new KafkaRequest(header, apiKey, version, parsed.request, size);
        } catch (RuntimeException e) {
            throw new MalformedRequestException("unparseable " + apiKey.name + " v" + version + " body: " + e, e);
        }
    }

    /** ApiVersions v0 body: UNSUPPORTED_VERSION with ApiVersions' own range (KIP-511). */
    ApiVersionsResponseData apiVersionsFallback() {
        ApiVersionCollection keys = new ApiVersionCollection(1);
        keys.add(ApiVersionTable.apiVersion(ApiKeys.API_VERSIONS, table.advertised(ApiKeys.API_VERSIONS)));
        return new ApiVersionsResponseData().setErrorCode(Errors.UNSUPPORTED_VERSION.code()).setApiKeys(keys);
    }
}
