package dev.runnel.distributor.hatracker;

import dev.runnel.distributor.limits.Limits;
import dev.runnel.distributor.limits.TenantLimits;
import dev.runnel.distributor.push.DiscardCounters;
import dev.runnel.distributor.push.PushStage;
import dev.runnel.distributor.push.PushVerdict;
import dev.runnel.distributor.write.WriteBatch;
import java.nio.charset.StandardCharsets;

/**
 * Deduplicates HA Prometheus pairs for tenants with {@code accept_ha_samples}: a request whose
 * first series carries both the {@code ha_cluster_label} and the {@code ha_replica_label} (as in
 * Mimir, one Prometheus sends one replica's series per request) is accepted only from the
 * replica the {@link HaTracker} elected, with the replica label removed from every series so
 * both replicas write the same series; a request from another replica is answered 202 and
 * written nowhere, its samples counted as {@code ha_dedupe}. Requests without both labels pass
 * untouched.
 */
public final class HaDedupeStage implements PushStage {

    private final TenantLimits limits;
    private final HaTracker tracker;
    private final DiscardCounters discards;

    public HaDedupeStage(TenantLimits limits, HaTracker tracker, DiscardCounters discards) {
        this.limits = limits;
        this.tracker = tracker;
        this.discards = discards;
    }

    @Override
    public PushVerdict apply(String tenant, WriteBatch batch, long nowMillis) {
        Limits l = limits.forTenant(tenant);
        if (!l.acceptHaSamples() || batch.seriesCount() == 0) {
            return PushVerdict.ACCEPT;
        }
        String cluster = batch.labelValue(0, l.haClusterLabel());
        String replica = batch.labelValue(0, l.haReplicaLabel());
        if (cluster == null || replica == null || cluster.isEmpty() || replica.isEmpty()) {
            return PushVerdict.ACCEPT;
        }
        String elected = tracker.elect(tenant, cluster, replica, nowMillis);
        if (!elected.equals(replica)) {
            discards.samples("ha_dedupe", tenant, batch.keptSamples());
            return PushVerdict.stop(202, "replicas did not match, rejecting sample: cluster=" + cluster + ", replica=" + replica
                    + ", elected=" + elected);
        }
        byte[] replicaLabel = l.haReplicaLabel().getBytes(StandardCharsets.UTF_8);
        for (int s = 0; s < batch.seriesCount(); s++) {
            int label = batch.labelIndex(s, replicaLabel);
            if (label >= 0) {
                batch.removeLabel(s, label);
            }
        }
        return PushVerdict.ACCEPT;
    }
}
