package io.runnel.cli.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.cli.client.FakeClients;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** {@link PerfTransactions}: when transactions are on, which id and duration, and when it commits. */
class PerfTransactionsTest {

    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    @Test
    void offUnlessAFlagOrTheConfigsAskForThem() {
        Properties p = props("acks", "all");
        PerfTransactions t = PerfTransactions.configure(p, null, null);
        assertFalse(t.enabled());
        assertNull(p.getProperty("transactional.id"));
        MockProducer<byte[], byte[]> producer = FakeClients.autoCompletingProducer();
        t.init(producer);
        t.beforeSend(producer, 0);
        t.afterSend(producer, 1_000_000);
        t.finish(producer);
        assertFalse(producer.transactionInitialized());
        assertEquals(0, t.committed());
    }

    @Test
    void theIdFlagWinsOverTheConfigsAndTheDurationDefaultsTo3000() {
        Properties p = props("transactional.id", "from-props");
        PerfTransactions t = PerfTransactions.configure(p, "from-flag", null);
        assertTrue(t.enabled());
        assertEquals("from-flag", t.transactionalId());
        assertEquals("from-flag", p.getProperty("transactional.id"));
        assertEquals(3000, t.durationMs());

        Properties fromConfigs = props("transactional.id", "from-props");
        PerfTransactions c = PerfTransactions.configure(fromConfigs, null, 50L);
        assertEquals("from-props", c.transactionalId());
        assertEquals(50, c.durationMs());
    }

    @Test
    void theDurationAloneEnablesThemWithARandomDefaultId() {
        Properties p = props();
        PerfTransactions t = PerfTransactions.configure(p, null, 100L);
        assertTrue(t.enabled());
        assertEquals(100, t.durationMs());
        assertTrue(t.transactionalId().matches("performance-producer-[A-Za-z0-9_-]{22}"), t.transactionalId());
        assertEquals(t.transactionalId(), p.getProperty("transactional.id"));
        String other = PerfTransactions.configure(props(), null, 100L).transactionalId();
        assertFalse(other.equals(t.transactionalId()), other);
    }

    @Test
    void commitsOnceASendIsDurationAfterTheBeginAndTheOpenOneAtTheEnd() {
        MockProducer<byte[], byte[]> producer = FakeClients.autoCompletingProducer();
        PerfTransactions t = PerfTransactions.configure(props(), "tx", 10L);
        t.init(producer);
        assertTrue(producer.transactionInitialized());
        long[] sendTimes = {100, 105, 109, 110, 111, 125, 130};
        for (long ms : sendTimes) {
            t.beforeSend(producer, ms);
            producer.send(new ProducerRecord<>("t", Long.toString(ms).getBytes(StandardCharsets.UTF_8)));
            t.afterSend(producer, ms);
        }
        // began at 100: the send at 110 commits {100..110}; began at 111: 125 commits {111, 125}; 130 stays open
        assertEquals(2, t.committed());
        assertEquals(2, producer.commitCount());
        assertTrue(producer.transactionInFlight());
        t.finish(producer);
        assertEquals(3, t.committed());
        assertEquals(3, producer.commitCount());
        assertFalse(producer.transactionInFlight());
        assertEquals(sendTimes.length, producer.history().size());
        t.finish(producer);
        assertEquals(3, t.committed());
    }
}
