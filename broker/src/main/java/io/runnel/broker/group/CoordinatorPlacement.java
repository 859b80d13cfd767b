package io.runnel.broker.group;

import io.runnel.metadata.image.BrokerRegistration;
import io.runnel.metadata.image.MetadataImage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * Which broker coordinates a group: a live (registered, unfenced) broker chosen from the metadata image by
 * rendezvous hashing (highest random weight) of the group id with each live broker id. Every node computes the same
 * answer from the same image, and when a broker is fenced or joins only the groups it gained or lost move; the
 * others keep their coordinator. Kafka hashes the group id onto a {@code __consumer_offsets} partition instead;
 * Runnel has no such topic (offsets live in the metadata log, DESIGN.md section 7). Immutable.
 */
public final class CoordinatorPlacement {
    private final int[] liveBrokers;

    private CoordinatorPlacement(int[] liveBrokers) {
        this.liveBrokers = liveBrokers;
    }

    /** The placement for the unfenced brokers of {@code image}. */
    public static CoordinatorPlacement of(MetadataImage image) {
        return new CoordinatorPlacement(image.brokers().values().stream().filter(b -> !b.fenced())
                .mapToInt(BrokerRegistration::id).sorted().toArray());
    }

    /** The placement over exactly these broker ids (tests). */
    public static CoordinatorPlacement over(int... brokerIds) {
        int[] ids = brokerIds.clone();
        Arrays.sort(ids);
        return new CoordinatorPlacement(ids);
    }

    /** The coordinator of {@code groupId}, or empty when no broker is alive. */
    public OptionalInt coordinator(String groupId) {
        if (liveBrokers.length == 0) {
            return OptionalInt.empty();
        }
        long groupHash = fnv1a(groupId.getBytes(StandardCharsets.UTF_8));
        int best = liveBrokers[0];
        long bestWeight = Long.MIN_VALUE;
        for (int id : liveBrokers) {
            long w = mix(groupHash ^ (id * 0x9E3779B97F4A7C15L));
            if (w > bestWeight || (w == bestWeight && id < best)) {
                bestWeight = w;
                best = id;
            }
        }
        return OptionalInt.of(best);
    }

    /** The live broker ids, ascending. */
    public int[] liveBrokers() {
        return liveBrokers.clone();
    }

    /** True when both placements have the same live brokers (so every group keeps its coordinator). */
    public boolean sameBrokers(CoordinatorPlacement other) {
        return Arrays.equals(liveBrokers, other.liveBrokers);
    }

    private static long fnv1a(byte[] bytes) {
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** A 64-bit finalizer (splitmix64's), so weights of neighbouring ids are unrelated. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return "CoordinatorPlacement" + Arrays.toString(liveBrokers);
    }
}
