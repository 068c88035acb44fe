package dev.runnel.distributor;

import dev.runnel.distributor.http.OtlpHandler;
import dev.runnel.distributor.http.PushHandler;
import dev.runnel.distributor.limits.TenantLimits;
import dev.runnel.distributor.produce.IngestTopic;
import dev.runnel.distributor.produce.KafkaRecordWriter;
import dev.runnel.distributor.produce.RecordWriteException;
import dev.runnel.distributor.push.DiscardCounters;
import dev.runnel.distributor.push.PushPipeline;
import dev.runnel.distributor.push.PushStage;
import dev.runnel.distributor.sharding.PartitionSelector;
import dev.runnel.server.Readiness;
import dev.runnel.server.Routes;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The distributor of one process: connects to the log, makes sure the ingest topic exists,
 * and serves {@code POST /api/v1/push} (remote write) and {@code POST /otlp/v1/metrics} (OTLP) on
 * the process' HTTP server. It is ready once the producer has connected and read the topic's
 * partitions; until then the process' /ready says so, and the push routes are not there yet.
 */
public final class Distributor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Distributor.class);
    private static final long RETRY_MILLIS = 1000;

    private final KafkaRecordWriter writer;
    private final ThreadPoolExecutor executor;

    private Distributor(KafkaRecordWriter writer, ThreadPoolExecutor executor) {
        this.writer = writer;
        this.executor = executor;
    }

    /**
     * Starts a distributor, blocking until the log answers (retrying every second), then adds
     * its routes to {@code routes}.
     *
     * @param partitions where each series goes: the partition ring's ACTIVE partitions in the binary
     * @param stages   run in this order on every request before its series are sharded
     * @param limits   the tenants' limits; the OTLP route reads their {@code otel_*} translation switches
     * @param discards where the OTLP route counts the data points it could not translate
     */
    public static Distributor start(DistributorConfig config, PartitionSelector partitions, List<PushStage> stages, TenantLimits limits,
                                    DiscardCounters discards, Routes routes, Readiness readiness) throws InterruptedException {
        AtomicBoolean ready = new AtomicBoolean();
        readiness.add(() -> ready.get() ? Optional.empty()
                : Optional.of("distributor is waiting for topic " + config.topic() + " at " + config.kafkaAddress()));
        int topicPartitions = awaitTopic(config);
        KafkaRecordWriter writer = KafkaRecordWriter.create(config.kafkaAddress(), config.topic(), config.remoteTimeout(),
                config.maxRecordBytes(), config.zone());
        try {
            int seen = writer.partitionCount();
            if (seen != topicPartitions) {
                log.warn("the producer sees {} partitions of topic {} where the admin client saw {}", seen, config.topic(), topicPartitions);
            }
            PushPipeline pipeline = new PushPipeline(stages, partitions, writer, config.maxRecordBytes(),
                    config.remoteTimeout(), Time.SYSTEM);
            ThreadPoolExecutor executor = pushExecutor();
            routes.add(PushHandler.PATH, new PushHandler(pipeline, config.multitenancyEnabled(), config.maxRecvMsgSize(), executor));
            routes.add(OtlpHandler.PATH, new OtlpHandler(pipeline, config.multitenancyEnabled(), config.maxRecvMsgSize(), executor,
                    limits, discards));
            ready.set(true);
            log.info("distributor writing to topic {} ({} partitions) at {}, placing series with {}", config.topic(), topicPartitions,
                    config.kafkaAddress(), partitions);
            return new Distributor(writer, executor);
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
    }

    private static int awaitTopic(DistributorConfig config) throws InterruptedException {
        while (true) {
            try {
                return IngestTopic.ensure(config.kafkaAddress(), config.topic(), config.topicPartitions(), config.remoteTimeout(),
                        config.zone());
            } catch (RecordWriteException e) {
                if (!e.retriable()) {
                    throw e;
                }
                log.warn("{}; retrying", e.getMessage());
                Thread.sleep(RETRY_MILLIS);
            }
        }
    }

    /**
     * One thread per core decompresses, decodes and encodes; the queue holds a burst, and a
     * request beyond it is answered 503 rather than waiting without bound.
     */
    private static ThreadPoolExecutor pushExecutor() {
        int threads = Runtime.getRuntime().availableProcessors();
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(threads * 64), r -> {
            Thread t = new Thread(r, "distributor-push-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Stops taking requests, lets those in progress finish, and flushes the producer. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.close();
    }
}
