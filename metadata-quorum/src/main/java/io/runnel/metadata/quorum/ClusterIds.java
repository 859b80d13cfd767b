package io.runnel.metadata.quorum;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.ratis.protocol.RaftGroupId;

/**
 * Cluster ids in Kafka's form (16 random-looking bytes, URL-safe base64 without padding: 22 characters) and the Ratis
 * group id each maps to.
 */
public final class ClusterIds {
    private ClusterIds() {
    }

    /**
     * The cluster id a node uses when {@code cluster.id} is not configured: a name-based UUID of the sorted voter list,
     * so every voter of a new cluster derives the same id with no format step (Kafka instead requires {@code
     * kafka-storage.sh format}). Stored in {@code meta.properties} at first start; later voter changes do not alter it.
     */
    public static String derive(List<QuorumVoter> voters) {
        String canonical = voters.stream().map(QuorumVoter::toString).sorted().collect(Collectors.joining(","));
        return encode(UUID.nameUUIDFromBytes(("runnel-cluster:" + canonical).getBytes(StandardCharsets.UTF_8)));
    }

    /** The Ratis group holding the metadata log of this cluster: a name-based UUID of the cluster id. */
    public static RaftGroupId groupId(String clusterId) {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("runnel-metadata:" + clusterId)
                .getBytes(StandardCharsets.UTF_8)));
    }

    /** Kafka's text form of a UUID. */
    public static String encode(UUID id) {
        ByteBuffer b = ByteBuffer.allocate(16).putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }
}
