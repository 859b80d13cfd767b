package io.runnel.broker.protocol;

/**
 * An inclusive range of versions of one API, as ApiVersions reports it (Kafka protocol guide, "ApiVersions"; KIP-35).
 *
 * @param min lowest version, at least 0
 * @param max highest version, at least {@code min}
 */
public record VersionRange(short min, short max) {
    /** @throws IllegalArgumentException when {@code min < 0} or {@code max < min} */
    public VersionRange {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("invalid version range " + min + "-" + max);
        }
    }

    /** The range {@code [min, max]}. */
    public static VersionRange of(int min, int max) {
        return new VersionRange((short) min, (short) max);
    }

    /** True when {@code version} lies in the range. */
    public boolean contains(short version) {
        return version >= min && version <= max;
    }

    @Override
    public String toString() {
        return min + "-" + max;
    }
}
