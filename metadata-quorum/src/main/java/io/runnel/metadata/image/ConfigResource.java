package io.runnel.metadata.image;

import io.runnel.metadata.record.ConfigResourceType;
import java.util.Comparator;
import java.util.Objects;

/**
 * A resource dynamic configs attach to: a topic (by name) or a broker (by id in decimal; "" = cluster default).
 * Ordered by type id, then name.
 */
public record ConfigResource(ConfigResourceType type, String name) implements Comparable<ConfigResource> {
    private static final Comparator<ConfigResource> ORDER =
            Comparator.comparingInt((ConfigResource r) -> r.type().getNumber()).thenComparing(ConfigResource::name);

    public ConfigResource {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public int compareTo(ConfigResource o) {
        return ORDER.compare(this, o);
    }
}
