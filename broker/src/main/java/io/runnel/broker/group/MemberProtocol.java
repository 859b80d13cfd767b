package io.runnel.broker.group;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One protocol a member supports, in its order of preference, with the member's opaque metadata for it (for
 * {@code consumer} groups: the serialized subscription of an assignor such as {@code range} or
 * {@code cooperative-sticky}). The coordinator never parses the metadata for rebalancing: it only selects a protocol
 * every member supports and hands the leader the members' metadata for it. Immutable (the array is copied).
 */
public record MemberProtocol(String name, byte[] metadata) {
    public MemberProtocol {
        Objects.requireNonNull(name, "name");
        metadata = metadata == null ? new byte[0] : metadata.clone();
    }

    @Override
    public byte[] metadata() {
        return metadata.clone();
    }

    /** True when both lists hold the same names with the same metadata bytes, in the same order. */
    public static boolean sameProtocols(List<MemberProtocol> a, List<MemberProtocol> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).equals(b.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemberProtocol p && name.equals(p.name) && Arrays.equals(metadata, p.metadata);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(metadata);
    }

    @Override
    public String toString() {
        return name + "(" + metadata.length + " bytes)";
    }
}
