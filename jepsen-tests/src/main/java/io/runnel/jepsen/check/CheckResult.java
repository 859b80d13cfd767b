package io.runnel.jepsen.check;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the checker concluded from a history.
 *
 * @param anomalies every anomaly found, in a stable order (kind, partition, first op index)
 * @param sends     send invocations in the history (kv: write invocations)
 * @param acked     sends (kv: writes) that completed ok (acknowledged)
 * @param failed    sends (kv: writes) that completed fail
 * @param unknown   sends (kv: writes) that completed info (outcome unknown)
 * @param readValues distinct (partition, value) pairs read by any ok poll or drain (kv: (key, version) pairs
 *                  read by any ok read or drain)
 * @param drainComplete true when the final drain read every partition to the end offset it was told
 * @param kinds     the anomaly kinds the workload's checker looks for ({@link Anomaly.Kind#QUEUE},
 *                  {@link Anomaly.Kind#KV}, {@link Anomaly.Kind#TXN}): the ones {@link #counts()} reports
 * @param forbidden the kinds among {@code kinds} that make the history invalid (the queue and kv checkers: all of
 *                  them; the txn checker: those Runnel's model forbids, the others are reported only)
 */
public record CheckResult(List<Anomaly> anomalies, long sends, long acked, long failed, long unknown,
                          long readValues, boolean drainComplete, Set<Anomaly.Kind> kinds,
                          Set<Anomaly.Kind> forbidden) {
    public CheckResult {
        anomalies = List.copyOf(anomalies);
        kinds = kinds.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(EnumSet.copyOf(kinds));
        forbidden = forbidden.isEmpty() ? Set.of()
                : java.util.Collections.unmodifiableSet(EnumSet.copyOf(forbidden));
        if (!kinds.containsAll(forbidden)) {
            throw new IllegalArgumentException("forbidden kinds " + forbidden + " are not all checked " + kinds);
        }
        for (Anomaly a : anomalies) {
            if (!kinds.contains(a.kind())) {
                throw new IllegalArgumentException(a.kind() + " is not one of the checked kinds " + kinds);
            }
        }
    }

    /** A result whose every checked kind is forbidden (the queue and kv checkers). */
    public CheckResult(List<Anomaly> anomalies, long sends, long acked, long failed, long unknown,
                       long readValues, boolean drainComplete, Set<Anomaly.Kind> kinds) {
        this(anomalies, sends, acked, failed, unknown, readValues, drainComplete, kinds, kinds);
    }

    /** A result of the queue checker (its kinds, {@link Anomaly.Kind#QUEUE}). */
    public CheckResult(List<Anomaly> anomalies, long sends, long acked, long failed, long unknown, long readValues,
                       boolean drainComplete) {
        this(anomalies, sends, acked, failed, unknown, readValues, drainComplete, Anomaly.Kind.QUEUE);
    }

    /** The count of each checked kind ({@link #kinds()}), in enum order, every one present (0 when none). */
    public Map<Anomaly.Kind, Integer> counts() {
        Map<Anomaly.Kind, Integer> m = new EnumMap<>(Anomaly.Kind.class);
        for (Anomaly.Kind k : Anomaly.Kind.values()) {
            if (kinds.contains(k)) {
                m.put(k, 0);
            }
        }
        anomalies.forEach(a -> m.merge(a.kind(), 1, Integer::sum));
        return m;
    }

    /**
     * The verdict: valid when none of the anomalies Runnel's model forbids occurred ({@link #forbidden()}: for the
     * queue and kv checkers every kind above; Runnel's model forbids poll skips within one assignment too) and the
     * drain completed.
     */
    public boolean valid() {
        return drainComplete && anomalies.stream().noneMatch(a -> forbidden.contains(a.kind()));
    }
}
