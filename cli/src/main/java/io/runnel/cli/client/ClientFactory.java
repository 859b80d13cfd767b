package io.runnel.cli.client;

import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Creates the kafka-clients objects a command uses. Commands take one in their constructor so tests can hand them
 * kafka-clients' {@code MockProducer}/{@code MockConsumer}; {@link #REAL} first checks that the bootstrap servers
 * accept TCP connections (see {@link BrokerProbe}), then builds real clients. Keys and values are raw bytes.
 */
public interface ClientFactory {

    /**
     * @param props complete client properties, {@code bootstrap.servers} included
     * @return a producer of byte-array keys and values
     */
    Producer<byte[], byte[]> producer(Properties props);

    /**
     * @param props complete client properties, {@code bootstrap.servers} included
     * @return a consumer of byte-array keys and values
     */
    Consumer<byte[], byte[]> consumer(Properties props);

    /**
     * @param props complete client properties, {@code bootstrap.servers} included
     * @return an Admin client
     */
    Admin admin(Properties props);

    /** Real kafka-clients objects, after a reachability check of {@code bootstrap.servers}. */
    ClientFactory REAL = new ClientFactory() {
        @Override
        public Producer<byte[], byte[]> producer(Properties props) {
            probe(props);
            return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public Consumer<byte[], byte[]> consumer(Properties props) {
            probe(props);
            return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }

        @Override
        public Admin admin(Properties props) {
            probe(props);
            return Admin.create(props);
        }

        private void probe(Properties props) {
            String servers = props.getProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
            if (servers != null) {
                BrokerProbe.requireReachable(BootstrapServers.parse(servers), ClientDefaults.CONNECT_TIMEOUT_MS);
            }
        }
    };
}
