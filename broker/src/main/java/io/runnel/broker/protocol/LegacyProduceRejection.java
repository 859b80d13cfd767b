package io.runnel.broker.protocol;

import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers Produce v0-2 with UNSUPPORTED_VERSION (35) for every partition. Runnel advertises Produce from v0 (for
 * librdkafka, KAFKA-18659) but serves v3+, and kafka-clients 4.x has no classes for v0-2 any more (KIP-896), so the
 * few fields needed are read and written here, from the Kafka protocol guide:
 * <pre>
 * request  v0-2: acks INT16, timeout_ms INT32, [name STRING, [index INT32, records NULLABLE_BYTES]]
 * response v0:   [name STRING, [index INT32, error_code INT16, base_offset INT64]]
 *          v1:   as v0, then throttle_time_ms INT32
 *          v2:   log_append_time_ms INT64 after base_offset, then throttle_time_ms INT32
 * </pre>
 * With acks=0 nothing is sent, as for any acks=0 produce.
 */
final class LegacyProduceRejection {
    private record Topic(String name, List<Integer> partitions) {
    }

    private LegacyProduceRejection() {
    }

    /**
     * @param header the parsed v1 header
     * @param body   the request body from its position
     * @throws MalformedRequestException when the body does not parse
     */
    static ImmediateReply reply(RequestHeaderData header, ByteBuffer body) {
        short version = header.requestApiVersion();
        short acks;
        List<Topic> topics = new ArrayList<>();
        try {
            acks = body.getShort();
            body.getInt(); // timeout_ms
            int topicCount = body.getInt();
            for (int t = 0; t < topicCount; t++) {
                String name = readString(body);
                int partitionCount = body.getInt();
                List<Integer> partitions = new ArrayList<>();
                for (int p = 0; p < partitionCount; p++) {
                    partitions.add(body.getInt());
                    int recordsLength = body.getInt();
                    if (recordsLength > 0) {
                        body.position(body.position() + recordsLength);
                    }
                }
                topics.add(new Topic(name, partitions));
            }
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new MalformedRequestException("unparseable Produce v" + version + " body: " + e, e);
        }
        String reason = "Produce v" + version + " is not served (v3+ only)";
        ApiResponse response = acks == 0 ? ApiResponse.none() : new ApiResponse.Raw(encode(version, topics));
        return new ImmediateReply(header.correlationId(), ApiKeys.PRODUCE, version, response, reason);
    }

    private static String readString(ByteBuffer body) {
        short length = body.getShort();
        if (length < 0) {
            throw new IllegalArgumentException("null topic name");
        }
        byte[] bytes = new byte[length];
        body.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] encode(short version, List<Topic> topics) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(topics.size());
            for (Topic topic : topics) {
                byte[] name = topic.name().getBytes(StandardCharsets.UTF_8);
                out.writeShort(name.length);
                out.write(name);
                out.writeInt(topic.partitions().size());
                for (int partition : topic.partitions()) {
                    out.writeInt(partition);
                    out.writeShort(Errors.UNSUPPORTED_VERSION.code());
                    out.writeLong(-1L);
                    if (version >= 2) {
                        out.writeLong(-1L);
                    }
                }
            }
            if (version >= 1) {
                out.writeInt(0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
