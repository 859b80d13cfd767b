package io.runnel.cli.client;

import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A {@link ClientFactory} handing out kafka-clients' {@link MockProducer} / {@link MockConsumer} (or any given
 * producer), remembering the properties each was created with. Makes no network check.
 */
public final class FakeClients implements ClientFactory {

    /** What {@link #producer} returns; by default a MockProducer completing every send at once. */
    public Producer<byte[], byte[]> producer = autoCompletingProducer();
    /** What {@link #consumer} returns. */
    public final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    /** The properties the last producer was created with. */
    public Properties producerProps;
    /** The properties the last consumer was created with. */
    public Properties consumerProps;

    /** @return a MockProducer that acknowledges every send immediately */
    public static MockProducer<byte[], byte[]> autoCompletingProducer() {
        return new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** @return the producer as the MockProducer it is by default */
    @SuppressWarnings("unchecked")
    public MockProducer<byte[], byte[]> mockProducer() {
        return (MockProducer<byte[], byte[]>) producer;
    }

    @Override
    public Producer<byte[], byte[]> producer(Properties props) {
        producerProps = props;
        return producer;
    }

    @Override
    public Consumer<byte[], byte[]> consumer(Properties props) {
        consumerProps = props;
        return consumer;
    }

    @Override
    public Admin admin(Properties props) {
        throw new UnsupportedOperationException("no Admin in these tests");
    }
}
