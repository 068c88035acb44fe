package dev.runnel.ingester;

import dev.runnel.ingester.consume.PartitionConsumer;
import dev.runnel.ingester.grpc.ServedPartitions;
import dev.runnel.ingester.head.Heads;
import dev.runnel.ring.PartitionInstanceLifecycler;
import dev.runnel.ring.PartitionLifecyclerConfig;
import dev.runnel.ring.PartitionRingEditor;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ingester, as Mimir's ingest storage runs them: ingester {@code ingester-zone-<z>-<n>} owns
 * partition {@code n} of the ingest topic in zone {@code z} and replays it into its own heads.
 *
 * <p>On start it registers in the partition ring as the partition's owner (creating the partition
 * and activating it, so distributors write to it), then replays the partition from the first record
 * within the head's retention: there are no snapshots yet, so there is no offset to resume from. It
 * is ready once the replay has caught up ({@link IngesterConfig#maxReadyLag()}). Each ingester has
 * its own heads, since a head has exactly one appender thread, its partition's consumer.
 *
 * <p>Queries reach it through its process' query service: it registers that service's address in
 * the ring and its partition in the service's {@link ServedPartitions}, with its consumer as the
 * read-after-write waiter.
 */
public final class Ingester implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Ingester.class);

    private final IngesterConfig config;
    private final PartitionInstanceLifecycler lifecycler;
    private final Heads heads;
    private final PartitionConsumer consumer;
    private final IngesterMetrics metrics;
    private final ServedPartitions served;

    private Ingester(IngesterConfig config, PartitionInstanceLifecycler lifecycler, Heads heads, PartitionConsumer consumer,
                     IngesterMetrics metrics, ServedPartitions served) {
        this.config = config;
        this.lifecycler = lifecycler;
        this.heads = heads;
        this.consumer = consumer;
        this.metrics = metrics;
        this.served = served;
    }

    /**
     * Registers the ingester in the ring and starts replaying its partition, answering its queries
     * through {@code served}.
     *
     * @param queryAddress {@code host:port} of the query service that serves {@code served}, for the ring
     * @throws RuntimeException if the ring cannot be written or another ingester of the same zone owns the partition
     */
    public static Ingester start(IngesterConfig config, ServedPartitions served, String queryAddress, PartitionRingEditor ring,
                                 IngesterMetrics metrics, Time time) {
        PartitionInstanceLifecycler lifecycler = new PartitionInstanceLifecycler(ring,
                PartitionLifecyclerConfig.defaults(config.instanceId()).withAddress(queryAddress), time);
        lifecycler.start();
        Heads heads = new Heads(config.head());
        try {
            PartitionConsumer consumer = PartitionConsumer.start(config.consume(), heads, OptionalLong.empty(), metrics.consumers(), time);
            metrics.heads().add(heads);
            served.add(config.id().partitionId(), heads, (partition, offset, timeout) -> awaitOffset(consumer, offset, timeout));
            log.info("ingester {} replaying partition {} of topic {}", config.instanceId(), config.id().partitionId(), config.topic());
            return new Ingester(config, lifecycler, heads, consumer, metrics, served);
        } catch (RuntimeException e) {
            lifecycler.close();
            throw e;
        }
    }

    private static void awaitOffset(PartitionConsumer consumer, long offset, Duration timeout)
            throws TimeoutException, InterruptedException {
        if (!consumer.waitForOffset(offset, timeout)) {
            throw new TimeoutException();
        }
    }

    public IngesterConfig config() {
        return config;
    }

    /** The tenants' heads of this ingester's partition. */
    public Heads heads() {
        return heads;
    }

    /** Not ready until the partition's replay has caught up; see {@link PartitionConsumer#readinessCheck()}. */
    public Supplier<Optional<String>> readinessCheck() {
        Supplier<Optional<String>> caughtUp = consumer.readinessCheck();
        return () -> caughtUp.get().map(reason -> config.instanceId() + ": " + reason);
    }

    /** Stops replaying, then leaves the ring as a STOPPED owner: the partition stays writable while the ingester restarts. */
    @Override
    public void close() {
        served.remove(config.id().partitionId());
        consumer.close();
        metrics.heads().remove(heads);
        lifecycler.close();
        log.info("ingester {} stopped", config.instanceId());
    }

    @Override
    public String toString() {
        return "Ingester(" + config.instanceId() + ")";
    }
}
