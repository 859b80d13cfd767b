package io.runnel.metadata.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The shipped files under config/ parse, and each controller's voter entry matches its CONTROLLER listener. */
class ConfigFilesTest {
    private static final Path CONFIG = Path.of("..", "config");

    private static Properties load(String name) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(CONFIG.resolve(name))) {
            p.load(r);
        }
        return p;
    }

    private static void assertControllerConsistent(String file) throws IOException {
        Properties p = load(file);
        QuorumConfig c = QuorumConfig.from(p);
        QuorumVoter self = c.self();
        assertNotNull(self, file + ": node.id is a voter");
        assertTrue(p.getProperty("listeners").contains("CONTROLLER://" + self.host() + ":" + self.port()),
                file + ": CONTROLLER listener matches the voter entry " + self);
        assertEquals(Path.of(p.getProperty("log.dirs")), c.metadataLogDir(), file);
    }

    @Test
    void everyFileGivesTheControllerItsSettings() throws IOException {
        for (String f : java.util.List.of("server.properties", "controller.properties", "broker.properties",
                "cluster/node-1.properties", "cluster/node-2.properties", "cluster/node-3.properties")) {
            io.runnel.metadata.active.ControllerConfig c = io.runnel.metadata.active.ControllerConfig.from(load(f));
            assertTrue(c.sessionTimeoutMs() > c.heartbeatIntervalMs(), f);
            assertTrue(c.autoLeaderRebalance() && !c.uncleanLeaderElection(), f);
        }
    }

    @Test
    void combinedAndSplitRoleFilesAreConsistent() throws IOException {
        assertControllerConsistent("server.properties");
        assertControllerConsistent("controller.properties");
        QuorumConfig broker = QuorumConfig.from(load("broker.properties"));
        assertEquals(null, broker.self(), "the broker is not a voter");
    }

    @Test
    void clusterFilesDescribeThreeVotersOnDistinctPortsAndDirectories() throws IOException {
        for (int n = 1; n <= 3; n++) {
            String file = "cluster/node-" + n + ".properties";
            assertControllerConsistent(file);
            Properties p = load(file);
            assertEquals(String.valueOf(n), p.getProperty("node.id"));
            assertEquals("PLAINTEXT://127.0.0.1:" + (9090 + 2 * n) + ",CONTROLLER://127.0.0.1:" + (9091 + 2 * n),
                    p.getProperty("listeners"));
            assertEquals("./data/node-" + n, p.getProperty("log.dirs"));
            assertEquals(3, QuorumConfig.from(p).voters().size());
        }
    }
}
