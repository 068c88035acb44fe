package dev.runnel.ingester.head;

import java.util.List;

/**
 * A tenant's head as a snapshot holds it ({@link TenantHead#capture()}).
 *
 * @param tenant   the tenant
 * @param maxTime  the head's newest sample's timestamp; {@link Long#MIN_VALUE} while empty
 * @param metadata metric families' metadata with the head time each was last sent at
 * @param series   every series, in the order they were created
 */
public record TenantState(String tenant, long maxTime, List<TenantHead.StoredMetadata> metadata, List<SeriesState> series) {
}
