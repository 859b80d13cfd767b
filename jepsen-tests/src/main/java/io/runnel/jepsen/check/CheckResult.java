package io.runnel.jepsen.check;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the checker concluded from a history.
 *
 * @param anomalies every anomaly found, in a stable order (kind, partition, first op index)
 * @param sends     send invocations in the history
 * @param acked     sends that completed ok (acknowledged)
 * @param failed    sends that completed fail
 * @param unknown   sends that completed info (outcome unknown)
 * @param readValues distinct (partition, value) pairs read by any ok poll or drain
 * @param drainComplete true when the final drain read every partition to the end offset it was told
 */
public record CheckResult(List<Anomaly> anomalies, long sends, long acked, long failed, long unknown,
                          long readValues, boolean drainComplete) {
    public CheckResult {
        anomalies = List.copyOf(anomalies);
    }

    /** The count of each kind, every kind present (0 when none). */
    public Map<Anomaly.Kind, Integer> counts() {
        Map<Anomaly.Kind, Integer> m = new EnumMap<>(Anomaly.Kind.class);
        for (Anomaly.Kind k : Anomaly.Kind.values()) {
            m.put(k, 0);
        }
        anomalies.forEach(a -> m.merge(a.kind(), 1, Integer::sum));
        return m;
    }

    /**
     * The verdict: valid when none of the anomalies Runnel's model forbids occurred (all kinds above; Runnel's
     * model forbids poll skips within one assignment too) and the drain completed.
     */
    public boolean valid() {
        return anomalies.isEmpty() && drainComplete;
    }
}
