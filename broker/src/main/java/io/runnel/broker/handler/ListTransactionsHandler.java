package io.runnel.broker.handler;

import io.runnel.broker.protocol.ApiResponse;
import io.runnel.broker.protocol.KafkaRequest;
import io.runnel.broker.protocol.RequestContext;
import io.runnel.broker.txn.TransactionCoordinator;
import io.runnel.metadata.image.TransactionState;
import io.runnel.metadata.image.TxnState;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * ListTransactions (key 66, v0-2; KIP-664, KIP-994 for the duration filter, KIP-1152 for the id pattern): the
 * transactions this broker coordinates (the admin client asks every broker), filtered by state names (unknown ones
 * are echoed in {@code unknown_state_filters}), producer ids, a (last) transaction started at least
 * {@code duration_filter} ms ago (v1+; as Kafka, an id that never started one counts as started at -1),
 * and a transactional-id regular expression (v2+; an invalid one is INVALID_REQUEST, 42).
 */
public final class ListTransactionsHandler implements ApiHandler {
    private final TransactionCoordinator coordinator;
    private final LongSupplier clock;

    public ListTransactionsHandler(TransactionCoordinator coordinator, LongSupplier clock) {
        this.coordinator = coordinator;
        this.clock = clock;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_TRANSACTIONS;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, KafkaRequest request) {
        ListTransactionsRequestData d = (ListTransactionsRequestData) request.body();
        ListTransactionsResponseData out = new ListTransactionsResponseData().setThrottleTimeMs(0)
                .setErrorCode(Errors.NONE.code());
        Set<TxnState> states = new HashSet<>();
        for (String name : d.stateFilters()) {
            TxnState s = TxnState.fromKafkaName(name);
            if (s == null) {
                out.unknownStateFilters().add(name);
            } else {
                states.add(s);
            }
        }
        Pattern pattern = null;
        if (request.version() >= 2 && d.transactionalIdPattern() != null && !d.transactionalIdPattern().isEmpty()) {
            try {
                pattern = Pattern.compile(d.transactionalIdPattern());
            } catch (PatternSyntaxException e) {
                return CompletableFuture.completedFuture(ApiResponse.send(out.setErrorCode(
                        Errors.INVALID_REQUEST.code())));
            }
        }
        Set<Long> producers = new HashSet<>(d.producerIdFilters());
        long minDuration = request.version() >= 1 ? d.durationFilter() : -1L;
        long now = clock.getAsLong();
        for (TransactionState t : coordinator.coordinated()) {
            if ((!states.isEmpty() && !states.contains(t.state()))
                    || (!producers.isEmpty() && !producers.contains(t.producerId()))
                    || (minDuration >= 0 && now - t.txnStartMs() < minDuration)
                    || (pattern != null && !pattern.matcher(t.transactionalId()).matches())) {
                continue;
            }
            out.transactionStates().add(new ListTransactionsResponseData.TransactionState()
                    .setTransactionalId(t.transactionalId()).setProducerId(t.producerId())
                    .setTransactionState(t.state().kafkaName()));
        }
        return CompletableFuture.completedFuture(ApiResponse.send(out));
    }
}
