package dev.runnel.distributor.ratelimit;

import dev.runnel.distributor.limits.Limits;
import dev.runnel.distributor.limits.TenantLimits;
import dev.runnel.distributor.push.DiscardCounters;
import dev.runnel.distributor.push.PushStage;
import dev.runnel.distributor.push.PushVerdict;
import dev.runnel.distributor.write.WriteBatch;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Holds each tenant to {@code ingestion_rate} samples a second with bursts of up to
 * {@code ingestion_burst_size}, counting the float and histogram samples validation left. A
 * request over the limit is refused whole with 429, and its samples counted as
 * {@code rate_limited}; nothing of it is written.
 *
 * <p>The bucket is per distributor (Mimir's "local" strategy): with N distributors behind a load
 * balancer a tenant may write up to N times the rate.
 */
public final class RateLimitStage implements PushStage {

    private final TenantLimits limits;
    private final DiscardCounters discards;
    private final ConcurrentMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public RateLimitStage(TenantLimits limits, DiscardCounters discards) {
        this.limits = limits;
        this.discards = discards;
    }

    @Override
    public PushVerdict apply(String tenant, WriteBatch batch, long nowMillis) {
        int samples = batch.keptSamples();
        if (samples == 0) {
            return PushVerdict.ACCEPT;
        }
        Limits l = limits.forTenant(tenant);
        TokenBucket bucket = buckets.computeIfAbsent(tenant, t -> new TokenBucket());
        if (bucket.tryTake(samples, l.ingestionRate(), l.ingestionBurstSize(), nowMillis)) {
            return PushVerdict.ACCEPT;
        }
        discards.samples("rate_limited", tenant, samples);
        return PushVerdict.stop(429, "ingestion rate limit (" + format(l.ingestionRate()) + ") exceeded while adding "
                + samples + " samples: tenant \"" + tenant + "\" may write " + format(l.ingestionRate())
                + " samples/s with bursts of up to " + l.ingestionBurstSize() + " (ingestion_rate, ingestion_burst_size)");
    }

    private static String format(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }
}
