package dev.runnel.log.agent;

import dev.runnel.log.metadata.MetadataStore;
import dev.runnel.log.metadata.SqliteMetadataStore;
import dev.runnel.log.objectstore.FileSystemObjectStore;
import dev.runnel.log.objectstore.ObjectStore;
import dev.runnel.log.produce.ProduceConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Time;

/**
 * Real agents for tests: one filesystem object store and one SQLite metadata store under a
 * directory, shared by every agent started here, as agents share them in production.
 */
final class AgentCluster implements AutoCloseable {
    static final ProduceConfig FAST_FLUSH = new ProduceConfig(Duration.ofMillis(20), 4 << 20, Duration.ofSeconds(5));

    private final Path dir;
    private ObjectStore objects;
    private MetadataStore metadata;
    private final List<KafkaAgent> agents = new ArrayList<>();

    AgentCluster(Path dir) {
        this.dir = dir;
        openStores();
    }

    private void openStores() {
        objects = new FileSystemObjectStore(dir.resolve("objects"));
        metadata = SqliteMetadataStore.open(dir.resolve("metadata.db"), Time.SYSTEM);
    }

    KafkaAgent startAgent() {
        return startAgent(AgentConfig.defaults().withPort(0).withProduce(FAST_FLUSH));
    }

    KafkaAgent startAgent(AgentConfig config) {
        KafkaAgent agent = KafkaAgent.start(config, objects, metadata, Time.SYSTEM);
        agents.add(agent);
        return agent;
    }

    /** Stops every agent and closes the stores, then opens them again: a full restart. */
    void restart() {
        closeAll();
        openStores();
    }

    MetadataStore metadata() {
        return metadata;
    }

    static String bootstrap(KafkaAgent... agents) {
        List<String> servers = new ArrayList<>();
        for (KafkaAgent agent : agents) {
            servers.add("127.0.0.1:" + agent.port());
        }
        return String.join(",", servers);
    }

    static KafkaProducer<String, String> producer(String bootstrap, String compression) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    static KafkaConsumer<String, String> consumer(String bootstrap, String groupId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        if (groupId != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }

    private void closeAll() {
        for (KafkaAgent agent : agents) {
            agent.close();
        }
        agents.clear();
        metadata.close();
        objects.close();
    }

    @Override
    public void close() {
        closeAll();
    }
}
