package io.runnel.broker.network;

import io.runnel.broker.protocol.ApiResponse;
import org.apache.kafka.common.protocol.ApiKeys;

import java.util.ArrayDeque;

/**
 * The requests of one connection awaiting their responses, in arrival order: a response leaves only when every
 * earlier one has (Kafka's per-connection ordering guarantee), even though handlers finish in any order.
 * Confined to the connection's event loop.
 */
final class ResponseSequencer {
    /** One request's place in line. */
    static final class Slot {
        final int correlationId;
        final ApiKeys apiKey;
        final short version;
        ApiResponse response;

        private Slot(int correlationId, ApiKeys apiKey, short version) {
            this.correlationId = correlationId;
            this.apiKey = apiKey;
            this.version = version;
        }

        boolean done() {
            return response != null;
        }
    }

    private final ArrayDeque<Slot> slots = new ArrayDeque<>();

    /** Queues a request; its slot is completed later with {@link #complete}. */
    Slot add(int correlationId, ApiKeys apiKey, short version) {
        Slot slot = new Slot(correlationId, apiKey, version);
        slots.addLast(slot);
        return slot;
    }

    /** Records {@code slot}'s response. */
    void complete(Slot slot, ApiResponse response) {
        slot.response = response;
    }

    /** The first slot if its response is ready, removed from the line; null otherwise. */
    Slot pollReady() {
        Slot head = slots.peekFirst();
        if (head == null || !head.done()) {
            return null;
        }
        return slots.pollFirst();
    }

    /** Requests waiting, answered or not. */
    int size() {
        return slots.size();
    }

    /** Forgets every slot (the connection closed). */
    void clear() {
        slots.clear();
    }
}
