package dev.runnel.cli;

import dev.runnel.log.agent.AgentConfig;
import dev.runnel.log.agent.KafkaAgent;
import dev.runnel.log.metadata.MetadataStore;
import dev.runnel.log.metadata.SqliteMetadataStore;
import dev.runnel.log.objectstore.FileSystemObjectStore;
import dev.runnel.log.objectstore.InstrumentedObjectStore;
import dev.runnel.log.objectstore.ObjectStore;
import dev.runnel.log.objectstore.S3Config;
import dev.runnel.log.objectstore.S3ObjectStore;
import dev.runnel.log.produce.ProduceConfig;
import dev.runnel.log.retention.RetentionConfig;
import dev.runnel.server.HttpServer;
import dev.runnel.server.Readiness;
import dev.runnel.server.StandardRoutes;
import dev.runnel.server.config.Durations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The components of one runnel process, started for a target and stopped in reverse order on
 * shutdown (SIGTERM or SIGINT), so an agent flushes what it buffered before the stores close.
 */
final class Process implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Process.class);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final CountDownLatch shutdown = new CountDownLatch(1);

    static Process start(Runnel.Target target, Settings settings) {
        Process process = new Process();
        try {
            process.startComponents(target, settings);
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        return process;
    }

    private void startComponents(Runnel.Target target, Settings settings) {
        Readiness readiness = new Readiness();
        Path dataDir = Path.of(settings.dataDir);
        createDirectories(dataDir);
        boolean[] agentUp = {false};
        readiness.add(() -> agentUp[0] ? Optional.empty() : Optional.of("agent is starting"));
        HttpServer http = HttpServer.start(settings.httpListenAddress, settings.httpListenPort, StandardRoutes.create(readiness), 16 << 20);
        started.push(http);

        // Every target present so far runs the agent; more components join with their issues.
        ObjectStore objects = new InstrumentedObjectStore(objectStore(settings, dataDir), settings.objectStoreBackend);
        started.push(objects);
        MetadataStore metadata = metadataStore(settings, dataDir);
        started.push(metadata);
        AgentConfig config = new AgentConfig(settings.kafkaListenAddress, settings.kafkaListenPort, settings.kafkaAdvertisedHost,
                settings.zone, new ProduceConfig(Durations.parse("-agent.batch-timeout", settings.batchTimeout),
                settings.batchMaxBytes, Durations.parse("-agent.write-timeout", settings.writeTimeout)),
                settings.cacheBytes, settings.maxRequestBytes, settings.autoCreateTopics, settings.defaultPartitions,
                RetentionConfig.DEFAULT.withInterval(Durations.parse("-agent.retention-interval", settings.retentionInterval)));
        started.push(KafkaAgent.start(config, objects, metadata, Time.SYSTEM));
        agentUp[0] = true;
        log.info("runnel started: target={} http=:{} kafka=:{} data={}", target, http.port(), settings.kafkaListenPort,
                dataDir.toAbsolutePath());
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown::countDown, "shutdown"));
    }

    private static ObjectStore objectStore(Settings settings, Path dataDir) {
        return switch (settings.objectStoreBackend) {
            case "filesystem" -> new FileSystemObjectStore(dataDir.resolve("objects"), settings.fsync);
            case "s3" -> new S3ObjectStore(new S3Config(settings.s3Bucket, settings.s3Prefix, settings.s3Region,
                    settings.s3Endpoint.isBlank() ? null : URI.create(settings.s3Endpoint), settings.s3PathStyle, null, null));
            default -> throw new IllegalArgumentException("-object-store.backend must be filesystem or s3: " + settings.objectStoreBackend);
        };
    }

    private static MetadataStore metadataStore(Settings settings, Path dataDir) {
        if (!settings.metadataStoreBackend.equals("sqlite")) {
            throw new IllegalArgumentException("-metadata-store.backend must be sqlite: " + settings.metadataStoreBackend);
        }
        return SqliteMetadataStore.open(dataDir.resolve("metadata.db"), Time.SYSTEM, settings.fsync);
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    void awaitShutdown() throws InterruptedException {
        shutdown.await();
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            AutoCloseable component = started.pop();
            try {
                component.close();
            } catch (Exception e) {
                log.warn("stopping {} failed", component, e);
            }
        }
    }
}
