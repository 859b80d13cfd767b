package io.runnel.broker.protocol;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.runnel.broker.testing.Wire;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestDecoderTest {
    private final RequestDecoder decoder = new RequestDecoder(ApiVersionTable.forApis(EnumSet.of(ApiKeys.METADATA,
            ApiKeys.PRODUCE, ApiKeys.FETCH)));

    private static ByteBuffer headerOnly(int key, int version, int correlationId) {
        ByteBuffer b = ByteBuffer.allocate(64);
        b.putShort((short) key).putShort((short) version).putInt(correlationId).putShort((short) 1).put((byte) 'c');
        b.putShort((short) 0).put((byte) 0); // a bit of body
        return b.flip();
    }

    @Test
    void apiVersionsAboveTheRangeGetsTheV0FallbackWithHeaderV0() {
        ImmediateReply reply = (ImmediateReply) decoder.decode(headerOnly(18, 9, 4242));
        ApiResponse.SendAtVersion fallback = assertInstanceOf(ApiResponse.SendAtVersion.class, reply.response());
        assertEquals(0, fallback.version());
        byte[] wire = Wire.bytes(ResponseEncoder.encode(UnpooledByteBufAllocator.DEFAULT, 4242, ApiKeys.API_VERSIONS,
                (short) 9, reply.response()));
        ByteBuffer b = ByteBuffer.wrap(wire);
        assertEquals(wire.length - 4, b.getInt());
        assertEquals(4242, b.getInt()); // header v0: correlation id only, no tagged fields
        ApiVersionsResponseData body = new ApiVersionsResponseData(new ByteBufferAccessor(b.slice()), (short) 0);
        assertEquals(Errors.UNSUPPORTED_VERSION.code(), body.errorCode());
        assertEquals(1, body.apiKeys().size());
        ApiVersionsResponseData.ApiVersion v = body.apiKeys().iterator().next();
        assertEquals(18, v.apiKey());
        assertEquals(0, v.minVersion());
        assertEquals(4, v.maxVersion());
    }

    @Test
    void unknownKeysUnofferedApisAndOutOfRangeVersionsAreMalformed() {
        assertThrows(MalformedRequestException.class, () -> decoder.decode(headerOnly(31_000, 0, 1)));
        assertThrows(MalformedRequestException.class, () -> decoder.decode(headerOnly(-1, 0, 1)));
        assertThrows(MalformedRequestException.class, () -> decoder.decode(headerOnly(11, 5, 1))); // JoinGroup
        assertThrows(MalformedRequestException.class, () -> decoder.decode(headerOnly(3, 13, 1))); // Metadata v13
        assertThrows(MalformedRequestException.class, () -> decoder.decode(headerOnly(1, 3, 1))); // Fetch v3
        assertThrows(MalformedRequestException.class, () -> decoder.decode(ByteBuffer.wrap(new byte[5])));
    }

    @Test
    void aTruncatedBodyIsMalformed() {
        ByteBuffer full = new MetadataRequest(new MetadataRequestData().setTopics(null), (short) 12)
                .serializeWithHeader(new RequestHeader(ApiKeys.METADATA, (short) 12, "c", 3));
        full.limit(full.limit() - 3);
        assertThrows(MalformedRequestException.class, () -> decoder.decode(full));
    }

    @Test
    void produceV2IsAnsweredUnsupportedVersionPerPartition() {
        ByteBuffer b = ByteBuffer.allocate(100);
        b.putShort((short) 0).putShort((short) 2).putInt(77).putShort((short) 1).put((byte) 'c');
        b.putShort((short) 1).putInt(1000).putInt(1).putShort((short) 1).put((byte) 't');
        b.putInt(2).putInt(0).putInt(-1).putInt(3).putInt(2).put(new byte[2]);
        ImmediateReply reply = (ImmediateReply) decoder.decode(b.flip());
        byte[] wire = Wire.bytes(ResponseEncoder.encode(UnpooledByteBufAllocator.DEFAULT, 77, ApiKeys.PRODUCE,
                (short) 2, reply.response()));
        ByteBuffer r = ByteBuffer.wrap(wire);
        assertEquals(wire.length - 4, r.getInt());
        assertEquals(77, r.getInt());
        assertEquals(1, r.getInt());
        byte[] name = new byte[r.getShort()];
        r.get(name);
        assertEquals("t", new String(name, StandardCharsets.UTF_8));
        assertEquals(2, r.getInt());
        for (int expected : new int[]{0, 3}) {
            assertEquals(expected, r.getInt());
            assertEquals(Errors.UNSUPPORTED_VERSION.code(), r.getShort());
            assertEquals(-1L, r.getLong());
            assertEquals(-1L, r.getLong());
        }
        assertEquals(0, r.getInt()); // throttle
        assertTrue(!r.hasRemaining());
    }

    @Test
    void produceV1WithAcksZeroGetsNoResponse() {
        ByteBuffer b = ByteBuffer.allocate(100);
        b.putShort((short) 0).putShort((short) 1).putInt(78).putShort((short) -1);
        b.putShort((short) 0).putInt(1000).putInt(0);
        ImmediateReply reply = (ImmediateReply) decoder.decode(b.flip());
        assertInstanceOf(ApiResponse.None.class, reply.response());
    }

    @Test
    void theTableAdvertisesOnlyHandledApisWithTheDesignRanges() {
        ApiVersionTable t = decoder.table();
        assertEquals(EnumSet.of(ApiKeys.API_VERSIONS, ApiKeys.METADATA, ApiKeys.PRODUCE, ApiKeys.FETCH), t.apis());
        assertEquals(VersionRange.of(0, 12), t.advertised(ApiKeys.PRODUCE));
        assertEquals(VersionRange.of(3, 12), t.served(ApiKeys.PRODUCE));
        assertEquals(VersionRange.of(4, 12), t.advertised(ApiKeys.FETCH));
        assertThrows(IllegalArgumentException.class, () -> ApiVersionTable.forApis(EnumSet.of(ApiKeys.SASL_HANDSHAKE)));
    }
}
