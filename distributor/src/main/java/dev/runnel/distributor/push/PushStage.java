package dev.runnel.distributor.push;

import dev.runnel.distributor.write.WriteBatch;

/**
 * One step a request's series pass through before they are sharded and written: HA-pair
 * deduplication, validation, rate limiting. A stage drops what it rejects by marking the
 * batch ({@link WriteBatch#dropSeries}, {@link WriteBatch#dropSample}, removing histograms or
 * exemplars) and says whether the request goes on.
 *
 * <p>Stages run on the request's thread and must not block on I/O in the common case; they
 * count what they reject in their own metrics, by reason and tenant.
 */
public interface PushStage {

    PushVerdict apply(String tenant, WriteBatch batch, long nowMillis);
}
