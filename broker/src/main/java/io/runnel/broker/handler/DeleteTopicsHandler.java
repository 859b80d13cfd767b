package io.runnel.broker.handler;

import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.metadata.client.ControllerClient;
import io.runnel.metadata.errors.ApiError;
import io.runnel.metadata.image.Uuids;
import io.runnel.metadata.rpc.DeleteTopicsRequest;
import io.runnel.metadata.rpc.DeleteTopicsResponse;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * DeleteTopics (key 20, v1-6), forwarded to the active controller (KIP-590): by name (v1-5 {@code topic_names}, v6
 * {@code topics} with a name) or by topic id (v6, KIP-516). Per topic, in request order: UNKNOWN_TOPIC_OR_PARTITION
 * (3), UNKNOWN_TOPIC_ID (100), INVALID_REQUEST (42) for a topic named twice or a v6 entry giving both or neither of
 * name and id, TOPIC_DELETION_DISABLED (73) with {@code delete.topic.enable=false}; NOT_CONTROLLER (41, retried by
 * Admin) or REQUEST_TIMED_OUT (7) for all when the controller cannot be reached. Error messages from v5, topic ids in
 * the response from v6.
 *
 * <p>Before answering, the handler waits until this broker's image no longer holds the deleted topics, at most
 * {@code timeout_ms} from the request's arrival.
 */
public final class DeleteTopicsHandler implements ApiHandler {
    private final ControllerClient controller;
    private final ImageWaiter images;

    public DeleteTopicsHandler(ControllerClient controller, ImageWaiter images) {
        this.controller = controller;
        this.images = images;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_TOPICS;
    }

    /** One entry of the request: a name, or an id; or an error decided here. */
    private record Entry(String name, UUID id, Errors error, String message) {
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        DeleteTopicsRequestData data = (DeleteTopicsRequestData) request.body();
        short version = request.version();
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, data.timeoutMs()));
        List<Entry> entries = entries(data, version);
        DeleteTopicsRequest.Builder forward = DeleteTopicsRequest.newBuilder();
        List<Integer> byName = new ArrayList<>();
        List<Integer> byId = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.error() != null) {
                continue;
            }
            if (e.id() != null) {
                forward.addTopicIds(Uuids.toProto(e.id()));
                byId.add(i);
            } else {
                forward.addNames(e.name());
                byName.add(i);
            }
        }
        DeletableTopicResult[] results = new DeletableTopicResult[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.error() != null) {
                results[i] = result(e.name(), e.id(), e.error(), e.message(), version);
            }
        }
        if (byName.isEmpty() && byId.isEmpty()) {
            return CompletableFuture.completedFuture(respond(results));
        }
        List<Integer> order = new ArrayList<>(byName);
        order.addAll(byId);
        CompletableFuture<DeleteTopicsResponse> call;
        try {
            call = controller.deleteTopics(forward.build());
        } catch (RuntimeException ex) {
            call = CompletableFuture.failedFuture(ex);
        }
        return call.handle((resp, error) -> {
            List<UUID> deleted = new ArrayList<>();
            ApiError whole = error != null ? ControllerErrors.whole(error)
                    : resp.getTopicsCount() != order.size() ? ApiError.of(
                    io.runnel.metadata.errors.ErrorCode.UNKNOWN_SERVER_ERROR, "The controller answered "
                    + resp.getTopicsCount() + " results for " + order.size() + " topics") : null;
            for (int j = 0; j < order.size(); j++) {
                int i = order.get(j);
                Entry e = entries.get(i);
                if (whole != null) {
                    results[i] = result(e.name(), e.id(), ControllerErrors.of(whole.error()), whole.message(),
                            version);
                    continue;
                }
                DeleteTopicsResponse.Topic t = resp.getTopics(j);
                UUID id = t.hasTopicId() ? Uuids.fromProto(t.getTopicId()) : e.id();
                String name = t.getName().isEmpty() ? e.name() : t.getName();
                results[i] = result(name, id, ControllerErrors.forCode(t.getErrorCode()),
                        ControllerErrors.message(t.getErrorMessage()), version);
                if (t.getErrorCode() == 0 && id != null) {
                    deleted.add(id);
                }
            }
            return deleted;
        }).thenCompose(deleted -> {
            if (deleted.isEmpty()) {
                return CompletableFuture.completedFuture(respond(results));
            }
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
            return images.await(image -> deleted.stream().noneMatch(image.topicsById()::containsKey), leftMs)
                    .thenApply(gone -> respond(results));
        });
    }

    private static List<Entry> entries(DeleteTopicsRequestData data, short version) {
        List<Entry> entries = new ArrayList<>();
        if (version < 6) {
            data.topicNames().forEach(n -> entries.add(new Entry(n, null, null, null)));
            return entries;
        }
        for (DeleteTopicState t : data.topics()) {
            boolean hasId = t.topicId() != null && !Uuid.ZERO_UUID.equals(t.topicId());
            boolean hasName = t.name() != null;
            UUID id = hasId ? new UUID(t.topicId().getMostSignificantBits(), t.topicId().getLeastSignificantBits())
                    : null;
            if (hasId == hasName) {
                entries.add(new Entry(t.name(), id, Errors.INVALID_REQUEST, hasId
                        ? "Give a topic name or a topic id, not both" : "Give a topic name or a topic id"));
            } else {
                entries.add(new Entry(hasName ? t.name() : null, id, null, null));
            }
        }
        return entries;
    }

    private static ApiResponse respond(DeletableTopicResult[] results) {
        DeleteTopicsResponseData response = new DeleteTopicsResponseData().setThrottleTimeMs(0);
        for (DeletableTopicResult r : results) {
            response.responses().add(r);
        }
        return ApiResponse.send(response);
    }

    private static DeletableTopicResult result(String name, UUID id, Errors error, String message, short version) {
        DeletableTopicResult r = new DeletableTopicResult().setErrorCode(error.code());
        if (version >= 6) {
            r.setName(name).setTopicId(id == null ? Uuid.ZERO_UUID
                    : new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits()));
        } else {
            r.setName(name == null ? "" : name);
        }
        if (version >= 5) {
            r.setErrorMessage(message);
        }
        return r;
    }
}
