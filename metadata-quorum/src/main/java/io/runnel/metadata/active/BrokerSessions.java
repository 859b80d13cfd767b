package io.runnel.metadata.active;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The active controller's soft state about brokers (KIP-631): when each last heartbeated, the metadata offset it
 * reported, and whether it is in controlled shutdown. Never logged; rebuilt with a fresh session for every registered
 * broker whenever a member becomes the active controller. Times are monotonic nanoseconds supplied by the caller.
 * Thread-safe (heartbeats are recorded on arrival, before they queue for the controller thread).
 */
public final class BrokerSessions {
    private record Session(long lastContactNs, long metadataOffset, boolean shuttingDown) {
    }

    private final long timeoutNs;
    private final Map<Integer, Session> sessions = new ConcurrentHashMap<>();

    /** @param sessionTimeoutMs {@code broker.session.timeout.ms} */
    public BrokerSessions(long sessionTimeoutMs) {
        this.timeoutNs = sessionTimeoutMs * 1_000_000L;
    }

    /** Forgets everything and gives each of {@code brokers} a session starting now. */
    public void reset(Collection<Integer> brokers, long nowNs) {
        sessions.clear();
        brokers.forEach(id -> sessions.put(id, new Session(nowNs, -1, false)));
    }

    /** A (re)registration: a fresh session, not shutting down. */
    public void register(int brokerId, long nowNs) {
        sessions.put(brokerId, new Session(nowNs, -1, false));
    }

    /** The broker was unregistered: no session until it registers again. */
    public void forget(int brokerId) {
        sessions.remove(brokerId);
    }

    /** A heartbeat arrived. */
    public void touch(int brokerId, long nowNs, long metadataOffset) {
        sessions.compute(brokerId, (id, s) -> s == null ? new Session(nowNs, metadataOffset, false)
                : new Session(Math.max(nowNs, s.lastContactNs), Math.max(metadataOffset, s.metadataOffset),
                s.shuttingDown));
    }

    /** Controlled shutdown began: the broker is no longer eligible to lead or join ISRs. */
    public void markShuttingDown(int brokerId, long nowNs) {
        sessions.compute(brokerId, (id, s) -> s == null ? new Session(nowNs, -1, true)
                : new Session(s.lastContactNs, s.metadataOffset, true));
    }

    /** Whether the broker heartbeated within the session timeout. */
    public boolean isAlive(int brokerId, long nowNs) {
        Session s = sessions.get(brokerId);
        return s != null && nowNs - s.lastContactNs <= timeoutNs;
    }

    /** Brokers in controlled shutdown. */
    public Set<Integer> shuttingDown() {
        Set<Integer> out = new HashSet<>();
        sessions.forEach((id, s) -> {
            if (s.shuttingDown) {
                out.add(id);
            }
        });
        return out;
    }

    /** The metadata offset the broker last reported, -1 if none. */
    public long metadataOffset(int brokerId) {
        Session s = sessions.get(brokerId);
        return s == null ? -1 : s.metadataOffset;
    }

    /** Nanoseconds since the broker's last heartbeat (or session start), or -1 without a session. */
    public long sinceLastContactNs(int brokerId, long nowNs) {
        Session s = sessions.get(brokerId);
        return s == null ? -1 : nowNs - s.lastContactNs;
    }
}
