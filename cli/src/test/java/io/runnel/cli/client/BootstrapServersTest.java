package io.runnel.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing of {@code --bootstrap-server} lists. */
class BootstrapServersTest {

    @Test
    void parsesHostsPortsAndBracketedIpv6() {
        BootstrapServers s = BootstrapServers.parse(" localhost:9092, [::1]:19092 ,10.0.0.1:1");
        assertEquals(List.of("localhost:9092", "::1:19092", "10.0.0.1:1"),
                s.addresses().stream().map(a -> a.getHostString() + ":" + a.getPort()).toList());
        assertEquals("localhost:9092, [::1]:19092 ,10.0.0.1:1", s.toString());
    }

    @Test
    void rejectsMalformedEntriesWithTheEntryInTheMessage() {
        assertEquals("invalid bootstrap server 'localhost': expected HOST:PORT",
                assertThrows(IllegalArgumentException.class, () -> BootstrapServers.parse("localhost")).getMessage());
        assertEquals("invalid port in bootstrap server 'h:x'",
                assertThrows(IllegalArgumentException.class, () -> BootstrapServers.parse("h:x")).getMessage());
        assertEquals("invalid port in bootstrap server 'h:70000': 70000 is not in 1..65535",
                assertThrows(IllegalArgumentException.class, () -> BootstrapServers.parse("h:70000")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> BootstrapServers.parse(" , "));
        assertThrows(IllegalArgumentException.class, () -> BootstrapServers.parse(":9092"));
    }
}
