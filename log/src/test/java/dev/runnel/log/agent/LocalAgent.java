package dev.runnel.log.agent;

import dev.runnel.log.metadata.MetadataStore;
import dev.runnel.log.metadata.SqliteMetadataStore;
import dev.runnel.log.objectstore.FileSystemObjectStore;
import dev.runnel.log.objectstore.ObjectStore;
import dev.runnel.log.produce.ProduceConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.common.utils.Time;

/** A real agent of the log on a free port, over a filesystem object store and SQLite metadata in {@code dir}; flushes every 10 ms. Shared by other modules' tests through the test-jar. */
public final class LocalAgent implements AutoCloseable {
    private final ObjectStore objects;
    private final MetadataStore metadata;
    private final KafkaAgent agent;

    private LocalAgent(ObjectStore objects, MetadataStore metadata, KafkaAgent agent) {
        this.objects = objects;
        this.metadata = metadata;
        this.agent = agent;
    }

    public static LocalAgent start(Path dir) {
        ObjectStore objects = new FileSystemObjectStore(dir.resolve("objects"));
        MetadataStore metadata = SqliteMetadataStore.open(dir.resolve("metadata.db"), Time.SYSTEM);
        KafkaAgent agent = KafkaAgent.start(AgentConfig.defaults().withPort(0)
                .withProduce(new ProduceConfig(Duration.ofMillis(10), 4 << 20, Duration.ofSeconds(5))), objects, metadata, Time.SYSTEM);
        return new LocalAgent(objects, metadata, agent);
    }

    public String bootstrap() {
        return "127.0.0.1:" + agent.port();
    }

    /** The agent's object store; ingesters keep their snapshots there too, as in the binary. */
    public ObjectStore objects() {
        return objects;
    }

    /** The agent's metadata store; its {@code kv()} can hold a partition ring. */
    public MetadataStore metadata() {
        return metadata;
    }

    @Override
    public void close() {
        agent.close();
        metadata.close();
        objects.close();
    }
}
