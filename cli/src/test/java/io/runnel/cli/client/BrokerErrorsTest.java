package io.runnel.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.runnel.cli.CliException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Test;

/** How client failures become one line. */
class BrokerErrorsTest {

    private static final BootstrapServers ANY = BootstrapServers.parse("localhost:9092");

    @Test
    void brokerErrorsKeepKafkasMessageFromInsideTheFuture() {
        TopicExistsException cause = new TopicExistsException("Topic 't' already exists.");
        CliException e = BrokerErrors.describe(new ExecutionException(cause), ANY);
        assertEquals("Topic 't' already exists.", e.getMessage());
        assertSame(cause, e.getCause());
    }

    @Test
    void constructionFailuresNameTheirCause() {
        KafkaException e = new KafkaException("Failed to construct kafka producer",
                new ConfigException("Invalid value x for configuration acks"));
        assertEquals("Failed to construct kafka producer: Invalid value x for configuration acks",
                BrokerErrors.describe(e, ANY).getMessage());
    }

    @Test
    void timeoutsSayWhetherAnythingListens() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
            BootstrapServers open = BootstrapServers.parse("127.0.0.1:" + closedPort);
            assertEquals("timed out talking to the broker at 127.0.0.1:" + closedPort + ": slow",
                    BrokerErrors.describe(new TimeoutException("slow"), open).getMessage());
        }
        BootstrapServers closed = BootstrapServers.parse("127.0.0.1:" + closedPort);
        assertEquals("cannot reach broker at 127.0.0.1:" + closedPort,
                BrokerErrors.describe(new TimeoutException("slow"), closed).getMessage());
    }

    @Test
    void messagesAreCutToOneLineAndEmptyOnesNameTheClass() {
        assertEquals("first", BrokerErrors.describe(new IllegalStateException("first\nsecond"), ANY).getMessage());
        assertEquals("IllegalStateException", BrokerErrors.describe(new IllegalStateException(), ANY).getMessage());
    }
}
