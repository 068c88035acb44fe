package dev.runnel.distributor.hatracker;

import dev.runnel.log.kv.KvStore;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elects one replica per (tenant, cluster) of an HA Prometheus pair, as Mimir's HA tracker: the
 * first replica seen is elected; while it keeps sending, the others are refused; once nothing
 * came from it for the failover timeout, the next replica that sends is elected.
 *
 * <p>Elections live in the shared {@link KvStore} under {@code ha/<tenant>/<cluster>}, so every
 * distributor agrees and a restarted one carries on; writes are compare-and-set, so of two
 * distributors electing at once one wins and the other adopts its choice. Each distributor keeps
 * a copy: the elected replica's last-seen time is written at most every update timeout, and a
 * copy older than that is re-read before refusing a replica (another distributor may have
 * failed over to it). The hot path therefore touches the store about once per update timeout
 * per cluster.
 *
 * <p>When the store fails, elections are decided on the local copy (a cluster never seen is
 * elected locally) and the store is retried after the backoff; then the store's state wins and
 * is updated as usual. A broken store thus never refuses writes; at worst two distributors
 * accept different replicas for a while, which duplicates samples but loses none.
 */
public final class HaTracker {

    private static final Logger LOG = LoggerFactory.getLogger(HaTracker.class);
    /** Compare-and-set rounds before a contended election settles for the copy it last read. */
    private static final int MAX_CAS_ATTEMPTS = 3;

    private final KvStore store;
    private final long updateTimeout;
    private final long failoverTimeout;
    private final long retryBackoff;
    private final HaTrackerMetrics metrics;
    private final ConcurrentMap<String, ConcurrentMap<String, Entry>> entries = new ConcurrentHashMap<>();

    public HaTracker(KvStore store, HaTrackerConfig config, PrometheusRegistry registry) {
        this.store = store;
        this.updateTimeout = config.updateTimeout().toMillis();
        this.failoverTimeout = config.failoverTimeout().toMillis();
        this.retryBackoff = config.storeRetryBackoff().toMillis();
        this.metrics = new HaTrackerMetrics(registry);
    }

    /** The local copy of one election and what is known of its stored version. */
    private static final class Entry {
        final String key;
        Election election;
        /** The store version {@link #election} was read or written at; ABSENT if none is known. */
        long version;
        boolean loaded;
        /** When the store was last read or written successfully. */
        long syncedAt;
        /** Before this time the store is not tried (it failed recently). */
        long retryAt;

        Entry(String key) {
            this.key = key;
        }
    }

    /**
     * Records that {@code replica} of {@code cluster} sent samples at {@code nowMillis} and
     * returns the replica elected for the cluster: samples are accepted if it is {@code replica}.
     */
    public String elect(String tenant, String cluster, String replica, long nowMillis) {
        Entry e = entries.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(cluster, c -> new Entry(key(tenant, c)));
        synchronized (e) {
            if (!e.loaded && nowMillis >= e.retryAt) {
                read(e, nowMillis);
            }
            Election next = decide(e.election, replica, nowMillis);
            if (next == e.election && !replica.equals(e.election.replica())
                    && nowMillis - e.syncedAt >= updateTimeout && nowMillis >= e.retryAt) {
                // About to refuse on a copy that may be stale: another distributor may have failed over.
                read(e, nowMillis);
                next = decide(e.election, replica, nowMillis);
            }
            for (int attempt = 1; next != e.election; attempt++) {
                if (nowMillis < e.retryAt || attempt > MAX_CAS_ATTEMPTS || write(e, next, nowMillis)) {
                    adopt(tenant, cluster, e, next);
                    break;
                }
                next = decide(e.election, replica, nowMillis);
            }
            return e.election.replica();
        }
    }

    /** The election after {@code replica} sent at {@code now}; {@code current} itself if nothing changes. */
    private Election decide(Election current, String replica, long now) {
        if (current == null) {
            return new Election(replica, now, now, 0);
        }
        if (current.replica().equals(replica)) {
            return now - current.receivedAt() >= updateTimeout
                    ? new Election(replica, now, current.electedAt(), current.electedChanges())
                    : current;
        }
        return now - current.receivedAt() >= failoverTimeout
                ? new Election(replica, now, now, current.electedChanges() + 1)
                : current;
    }

    private void adopt(String tenant, String cluster, Entry e, Election next) {
        Election previous = e.election;
        e.election = next;
        metrics.received(tenant, cluster, next.receivedAt());
        if (previous != null && !previous.replica().equals(next.replica())) {
            metrics.changed(tenant, cluster);
            LOG.info("Tenant {} cluster {}: elected replica {} after {} sent nothing for {} ms", tenant, cluster,
                    next.replica(), previous.replica(), next.receivedAt() - previous.receivedAt());
        }
    }

    /** Reads the stored election into the entry; on failure leaves the copy and backs off. */
    private void read(Entry e, long now) {
        try {
            Optional<KvStore.Versioned> stored = store.get(e.key);
            e.election = stored.map(v -> parse(e.key, v.value())).orElse(null);
            e.version = stored.map(KvStore.Versioned::version).orElse(KvStore.Versioned.ABSENT);
            e.loaded = true;
            e.syncedAt = now;
        } catch (RuntimeException ex) {
            storeFailed(e, now, "read", ex);
        }
    }

    /**
     * Writes {@code next} if the stored election is still the one the entry copied.
     *
     * @return true if written or if the store failed (the caller then keeps {@code next} locally);
     *     false if the election changed meanwhile, in which case the entry now holds the stored one
     */
    private boolean write(Entry e, Election next, long now) {
        try {
            Optional<Long> version = store.compareAndSet(e.key, e.version, next.toJson());
            if (version.isPresent()) {
                e.version = version.get();
                e.loaded = true;
                e.syncedAt = now;
                return true;
            }
        } catch (RuntimeException ex) {
            storeFailed(e, now, "write", ex);
            return true;
        }
        read(e, now);
        return now < e.retryAt; // the read failed
    }

    private void storeFailed(Entry e, long now, String what, RuntimeException ex) {
        if (now >= e.retryAt) {
            LOG.warn("Cannot {} the HA election {}, deciding locally for {} ms: {}", what, e.key, retryBackoff, ex.toString());
        }
        e.retryAt = now + retryBackoff;
        metrics.storeFailed();
    }

    /** A stored value that is not an election counts as none, so the next election overwrites it. */
    private static Election parse(String key, byte[] value) {
        try {
            return Election.fromJson(value);
        } catch (IllegalArgumentException ex) {
            LOG.warn("Ignoring the stored HA election {}: {}", key, ex.getMessage());
            return null;
        }
    }

    static String key(String tenant, String cluster) {
        return "ha/" + tenant + "/" + cluster;
    }
}
