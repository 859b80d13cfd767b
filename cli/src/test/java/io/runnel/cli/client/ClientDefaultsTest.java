package io.runnel.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Admin timeouts the CLI sets unless the user's {@code --command-config} does. */
class ClientDefaultsTest {

    @TempDir
    Path dir;

    @Test
    void withoutAFileARequestMayTimeOutTwiceBeforeTheCallDoes() {
        Properties p = ClientDefaults.admin(null, "127.0.0.1:1,127.0.0.1:2");
        assertEquals("127.0.0.1:1,127.0.0.1:2", p.getProperty("bootstrap.servers"));
        long api = Long.parseLong(p.getProperty("default.api.timeout.ms"));
        long request = Long.parseLong(p.getProperty("request.timeout.ms"));
        assertEquals(ClientDefaults.API_TIMEOUT_MS, api);
        assertEquals(ClientDefaults.REQUEST_TIMEOUT_MS, request);
        assertTrue(3 * request <= api, "a call sent to a hung broker must have time left to move to another");
    }

    @Test
    void aFileWithOnlyAnApiTimeoutGetsARequestTimeoutOfAThirdOfIt() throws IOException {
        Path f = Files.writeString(dir.resolve("a.properties"), "default.api.timeout.ms=6000\n");
        Properties p = ClientDefaults.admin(f, "h:1");
        assertEquals("6000", p.getProperty("default.api.timeout.ms"));
        assertEquals("2000", p.getProperty("request.timeout.ms"));
    }

    @Test
    void theFilesOwnTimeoutsWinButNotItsBootstrapList() throws IOException {
        Path f = Files.writeString(dir.resolve("a.properties"),
                "default.api.timeout.ms=1500\nrequest.timeout.ms=1000\nbootstrap.servers=elsewhere:1\n");
        Properties p = ClientDefaults.admin(f, "h:1");
        assertEquals("1500", p.getProperty("default.api.timeout.ms"));
        assertEquals("1000", p.getProperty("request.timeout.ms"));
        assertEquals("h:1", p.getProperty("bootstrap.servers"));
    }

    @Test
    void anUnparsableApiTimeoutIsLeftForTheAdminToReject() throws IOException {
        Path f = Files.writeString(dir.resolve("a.properties"), "default.api.timeout.ms=soon\n");
        Properties p = ClientDefaults.admin(f, "h:1");
        assertEquals("soon", p.getProperty("default.api.timeout.ms"));
        assertEquals(String.valueOf(ClientDefaults.REQUEST_TIMEOUT_MS), p.getProperty("request.timeout.ms"));
    }
}
