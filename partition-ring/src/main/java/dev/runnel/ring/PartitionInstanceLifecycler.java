package dev.runnel.ring;

import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ingester's part in the ring: it owns the partition its id names, in its zone.
 *
 * <p>{@link #start()} creates the partition (PENDING) if it does not exist and registers the
 * ingester as its ACTIVE owner; a store failure or a different owner in the same zone fails
 * the start, so an ingester never runs unregistered. Then every heartbeat period it writes
 * the same again with a fresh heartbeat, which also re-registers it if an operator removed it
 * while it ran (to decommission a partition, stop its ingesters with
 * {@code removeOwnerOnShutdown} first). In the same update any PENDING partition that has
 * reached {@code minOwnersToActivate} ACTIVE owners becomes ACTIVE: whichever ingester sees it
 * first activates it, so a partition does not wait for its own last owner's next heartbeat.
 *
 * <p>On a graceful {@link #close()} the ingester stays the owner by default, marked STOPPED:
 * as in Mimir, the partition stays ACTIVE and writable while its ingester restarts (the log
 * keeps what is written meanwhile, and the ingester catches up on start), and queriers turn
 * to the other zone at once instead of waiting for the heartbeat to go stale. With
 * {@code removeOwnerOnShutdown} it gives the partition up instead, for a scale-down.
 */
public final class PartitionInstanceLifecycler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PartitionInstanceLifecycler.class);

    private final PartitionRingEditor editor;
    private final PartitionLifecyclerConfig config;
    private final IngesterId id;
    private final Time time;
    private final RingMetrics metrics;
    private final Object lifecycle = new Object();
    private ScheduledExecutorService heartbeats;

    public PartitionInstanceLifecycler(PartitionRingEditor editor, PartitionLifecyclerConfig config, Time time) {
        this(editor, config, time, RingMetrics.DEFAULT);
    }

    PartitionInstanceLifecycler(PartitionRingEditor editor, PartitionLifecyclerConfig config, Time time, RingMetrics metrics) {
        this.editor = Objects.requireNonNull(editor, "editor");
        this.config = Objects.requireNonNull(config, "config");
        this.id = config.id();
        this.time = Objects.requireNonNull(time, "time");
        this.metrics = metrics;
    }

    /** The partition this ingester owns. */
    public int partitionId() {
        return id.partitionId();
    }

    /** Registers the ingester as owner (creating its partition if needed), then heartbeats in the background. */
    public void start() {
        synchronized (lifecycle) {
            if (heartbeats != null) {
                throw new IllegalStateException("lifecycler of " + config.ingesterId() + " is already started");
            }
            PartitionRing ring = register();
            log.info("{} owns partition {} ({})", config.ingesterId(), id.partitionId(),
                    ring.partition(id.partitionId()).orElseThrow().state());
            heartbeats = Schedulers.every(config.heartbeatPeriod(), "partition-lifecycler-" + config.ingesterId(), this::heartbeat);
        }
    }

    /** One heartbeat; a failure is logged and counted, and the next period tries again. */
    void heartbeat() {
        try {
            register();
        } catch (RuntimeException e) {
            metrics.heartbeatFailed();
            log.warn("{} could not heartbeat into the partition ring: {}", config.ingesterId(), e.toString());
        }
    }

    PartitionRing register() {
        return editor.update(ring -> {
            long now = time.milliseconds();
            Partition own = ring.partition(id.partitionId()).orElse(Partition.pending(id.partitionId(), now))
                    .withOwner(new PartitionOwner(config.ingesterId(), id.zone(), OwnerState.ACTIVE, now, config.address()));
            PartitionRing next = ring.with(own);
            for (Partition p : next.partitions()) {
                if (p.state() == PartitionState.PENDING && p.activeOwnerCount() >= config.minOwnersToActivate()) {
                    next = next.with(p.withState(PartitionState.ACTIVE, now));
                }
            }
            return next;
        });
    }

    /** Stops heartbeating and leaves the ring as {@link PartitionLifecyclerConfig#removeOwnerOnShutdown()} says. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (heartbeats == null) {
                return;
            }
            Schedulers.stop(heartbeats);
            heartbeats = null;
        }
        try {
            if (config.removeOwnerOnShutdown()) {
                editor.removeOwner(id.partitionId(), config.ingesterId());
            } else {
                editor.update(ring -> ring.partition(id.partitionId())
                        .filter(p -> p.ownerById(config.ingesterId()).isPresent())
                        .map(p -> ring.with(p.withOwner(new PartitionOwner(
                                config.ingesterId(), id.zone(), OwnerState.STOPPED, time.milliseconds(), config.address()))))
                        .orElse(ring));
            }
        } catch (RuntimeException e) {
            // The heartbeat goes stale instead; queriers notice after their timeout.
            log.warn("{} could not record its shutdown in the partition ring: {}", config.ingesterId(), e.toString());
        }
    }
}
