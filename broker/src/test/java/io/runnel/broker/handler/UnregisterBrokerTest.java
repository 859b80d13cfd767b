package io.runnel.broker.handler;

import io.runnel.broker.testing.NodeCluster;
import io.runnel.broker.testing.QuorumBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.BrokerIdNotRegisteredException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * UnregisterBroker (API key 64) and DescribeCluster v2's fenced brokers (KIP-1073) on three combined nodes with a
 * real Admin: a stopped broker is listed as fenced, then unregistered and gone from every listing; a running broker
 * and an unknown id are refused with Kafka's errors; a broker that starts again registers again.
 */
@Timeout(180)
class UnregisterBrokerTest {
    @TempDir
    Path dir;
    private NodeCluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Collection<Node> all(Admin admin) throws Exception {
        return admin.describeCluster(new DescribeClusterOptions().includeFencedBrokers(true)).nodes()
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void aStoppedBrokerIsUnregisteredAndARunningOneIsRefused() throws Exception {
        cluster = NodeCluster.start(dir, 3, Map.of("broker.session.timeout.ms", "3000",
                "broker.heartbeat.interval.ms", "300"));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", "127.0.0.1:" + cluster.brokerPort(1)))) {
            ExecutionException running = assertThrows(ExecutionException.class,
                    () -> admin.unregisterBroker(2).all().get());
            assertInstanceOf(InvalidRequestException.class, running.getCause());
            assertTrue(running.getCause().getMessage().contains("stop it before unregistering it"));

            cluster.stopNode(3);
            QuorumBroker.await("broker 3 fenced", () -> {
                try {
                    return all(admin).stream().anyMatch(n -> n.id() == 3 && n.isFenced());
                } catch (Exception e) {
                    return false;
                }
            });
            assertFalse(admin.describeCluster().nodes().get().stream().anyMatch(n -> n.id() == 3),
                    "without include_fenced_brokers only live brokers are listed");
            admin.unregisterBroker(3).all().get(30, TimeUnit.SECONDS);
            assertEquals(2, all(admin).size(), "broker 3 is gone from every listing");
            ExecutionException unknown = assertThrows(ExecutionException.class,
                    () -> admin.unregisterBroker(3).all().get());
            assertInstanceOf(BrokerIdNotRegisteredException.class, unknown.getCause());

            cluster.startNode(3);
            QuorumBroker.await("broker 3 registered again", () -> {
                try {
                    return all(admin).stream().anyMatch(n -> n.id() == 3 && !n.isFenced());
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }
}
