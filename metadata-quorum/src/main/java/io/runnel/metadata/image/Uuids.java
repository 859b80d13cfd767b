package io.runnel.metadata.image;

import io.runnel.metadata.record.Uuid;
import java.util.UUID;

/** Conversion between {@link UUID} and the protobuf {@link Uuid} (two signed 64-bit halves). */
public final class Uuids {
    private Uuids() {
    }

    public static Uuid toProto(UUID id) {
        return Uuid.newBuilder().setMostSignificantBits(id.getMostSignificantBits())
                .setLeastSignificantBits(id.getLeastSignificantBits()).build();
    }

    public static UUID fromProto(Uuid id) {
        return new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }
}
