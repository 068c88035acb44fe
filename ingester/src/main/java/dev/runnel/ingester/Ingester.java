package dev.runnel.ingester;

import dev.runnel.ingester.consume.PartitionConsumer;
import dev.runnel.ingester.grpc.ServedPartitions;
import dev.runnel.ingester.head.Heads;
import dev.runnel.ingester.snapshot.SnapshotStore;
import dev.runnel.ingester.snapshot.Snapshotter;
import dev.runnel.log.objectstore.ObjectStore;
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
 * and activating it, so distributors write to it), restores its heads from the newest readable
 * snapshot in the object store and replays the partition from the offset that snapshot covers;
 * without one, from the first record within the head's retention. It is ready once the replay has
 * caught up ({@link IngesterConfig#maxReadyLag()}). Each ingester has its own heads, since a head
 * has exactly one appender thread, its partition's consumer, and its own snapshots
 * ({@link Snapshotter}, SNAPSHOT.md), taken every {@link IngesterConfig#snapshotInterval()} and on
 * close.
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
    private final Snapshotter snapshotter;

    private Ingester(IngesterConfig config, PartitionInstanceLifecycler lifecycler, Heads heads, PartitionConsumer consumer,
                     IngesterMetrics metrics, ServedPartitions served, Snapshotter snapshotter) {
        this.config = config;
        this.snapshotter = snapshotter;
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
     * @param objects      where its snapshots are kept (under {@code snapshots/}; the log's own objects never are there)
     * @param queryAddress {@code host:port} of the query service that serves {@code served}, for the ring
     * @throws RuntimeException if the ring cannot be written or another ingester of the same zone owns the partition
     */
    public static Ingester start(IngesterConfig config, ObjectStore objects, ServedPartitions served, String queryAddress,
                                 PartitionRingEditor ring, IngesterMetrics metrics, Time time) {
        PartitionInstanceLifecycler lifecycler = new PartitionInstanceLifecycler(ring,
                PartitionLifecyclerConfig.defaults(config.instanceId()).withAddress(queryAddress), time);
        lifecycler.start();
        try {
            int partition = config.id().partitionId();
            SnapshotStore snapshots = new SnapshotStore(objects, config.topic(), partition, config.id().zone(),
                    SnapshotStore.DEFAULT_PART_BYTES);
            long loadStart = time.nanoseconds();
            Optional<SnapshotStore.Loaded> loaded = snapshots.loadNewest(config.head());
            Heads heads = loaded.map(SnapshotStore.Loaded::heads).orElseGet(() -> new Heads(config.head()));
            loaded.ifPresentOrElse(l -> log.info("ingester {} loaded snapshot {}{}: offset {}, {} tenants, {} series, {} bytes in {} ms",
                            config.instanceId(), snapshots.prefix(), l.name(), l.offset(), l.tenants(), l.series(), l.bytes(),
                            (time.nanoseconds() - loadStart) / 1_000_000),
                    () -> log.info("ingester {} found no snapshot under {}: replaying the retention window", config.instanceId(),
                            snapshots.prefix()));
            Snapshotter snapshotter = new Snapshotter(snapshots, heads, config.snapshotInterval(), metrics.snapshots(), partition, time,
                    loaded.map(SnapshotStore.Loaded::offset).orElse(-1L), loaded.map(SnapshotStore.Loaded::createdMs).orElse(0L));
            OptionalLong resume = loaded.map(l -> OptionalLong.of(l.offset())).orElse(OptionalLong.empty());
            PartitionConsumer consumer = PartitionConsumer.start(config.consume(), heads, resume, metrics.consumers(), time,
                    snapshotter::attach);
            metrics.heads().add(heads);
            served.add(partition, heads, (p, offset, timeout) -> awaitOffset(consumer, offset, timeout));
            log.info("ingester {} replaying partition {} of topic {}", config.instanceId(), partition, config.topic());
            return new Ingester(config, lifecycler, heads, consumer, metrics, served, snapshotter);
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

    /** The offset of the newest durable snapshot of its heads, -1 if none. */
    public long snapshotOffset() {
        return snapshotter.durableOffset();
    }

    /**
     * Stops as a crash (kill -9) would, as far as its data goes: no last snapshot, no commit, the
     * snapshot being written dropped. For tests of what a restart recovers.
     */
    void halt() {
        snapshotter.abandon();
        close();
    }

    /**
     * Stops replaying, snapshots the heads and commits the snapshot's offset, then leaves the ring as
     * a STOPPED owner: the partition stays writable while the ingester restarts.
     */
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
