package io.runnel.metadata.active;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.metadata.quorum.ConfigException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BrokerSessionsTest {
    private static final long MS = 1_000_000L;

    @Test
    void sessionsExpireAfterTheTimeoutWithoutHeartbeats() {
        BrokerSessions s = new BrokerSessions(9000);
        s.reset(List.of(1, 2), 0);
        assertTrue(s.isAlive(1, 9000 * MS));
        assertFalse(s.isAlive(1, 9001 * MS));
        s.touch(1, 5000 * MS, 17);
        assertTrue(s.isAlive(1, 14000 * MS));
        assertFalse(s.isAlive(2, 14000 * MS));
        assertEquals(17, s.metadataOffset(1));
        assertEquals(9000 * MS, s.sinceLastContactNs(1, 14000 * MS));
        assertFalse(s.isAlive(3, 0), "no session without registration or heartbeat");
    }

    @Test
    void aNewTermStartsFreshSessionsAndRegistrationClearsControlledShutdown() {
        BrokerSessions s = new BrokerSessions(1000);
        s.reset(List.of(1), 0);
        s.markShuttingDown(1, 0);
        assertEquals(Set.of(1), s.shuttingDown());
        s.register(1, 10 * MS);
        assertTrue(s.shuttingDown().isEmpty());
        s.reset(List.of(1, 2), 5000 * MS);
        assertTrue(s.isAlive(1, 5500 * MS) && s.isAlive(2, 5500 * MS));
    }

    @Test
    void controllerConfigReadsKafkasKeysAndDefaults() {
        ControllerConfig d = ControllerConfig.DEFAULTS;
        assertEquals(9000, d.sessionTimeoutMs());
        assertEquals(2000, d.heartbeatIntervalMs());
        assertEquals(300_000, d.leaderImbalanceCheckIntervalMs());
        assertTrue(d.autoLeaderRebalance() && d.deleteTopicEnable() && !d.uncleanLeaderElection());
        assertEquals(30_000, d.writeTimeoutMs());
        ControllerConfig c = ControllerConfig.from(Map.of("broker.session.timeout.ms", "1500",
                "unclean.leader.election.enable", "TRUE", "num.partitions", "3"));
        assertEquals(1500, c.sessionTimeoutMs());
        assertTrue(c.uncleanLeaderElection());
        assertEquals(3, c.defaultPartitions());
        assertTrue(assertThrows(ConfigException.class, () -> ControllerConfig.from(Map.of(
                "broker.session.timeout.ms", "-1"))).getMessage().contains("broker.session.timeout.ms"));
        assertThrows(ConfigException.class, () -> ControllerConfig.from(Map.of("delete.topic.enable", "maybe")));
    }
}
