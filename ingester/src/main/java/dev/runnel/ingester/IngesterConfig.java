package dev.runnel.ingester;

import dev.runnel.ingester.consume.ConsumeConfig;
import dev.runnel.ingester.head.HeadConfig;
import dev.runnel.ring.IngesterId;
import java.time.Duration;
import java.util.Objects;

/**
 * One ingester: which partition it owns and replays, where the log is, and its head's limits.
 *
 * @param instanceId  {@code ingester-zone-<zone>-<n>}: owns partition {@code n} in zone {@code zone}
 *                    (flag {@code -ingester.ring.instance-id}); also its consumer group
 * @param bootstrap   the log's bootstrap address
 * @param topic       the ingest topic
 * @param head        the tenants' heads: retention, out-of-order window, series limit
 * @param maxReadyLag how far behind the partition's end the ingester may be and still be ready
 * @param snapshotInterval how often the heads are snapshotted to the object store (flag
 *                    {@code -ingester.snapshot-interval}); also on close
 * @param zone        the process' zone ({@code -zone}), told to the log in the consumer's client id (empty: not
 *                    told); the zone in the instance id is its short form ({@code a} for {@code zone-a})
 */
public record IngesterConfig(String instanceId, String bootstrap, String topic, HeadConfig head, Duration maxReadyLag,
                             Duration snapshotInterval, String zone) {

    public static final Duration DEFAULT_SNAPSHOT_INTERVAL = Duration.ofMinutes(5);

    public IngesterConfig {
        IngesterId.parse(instanceId);
        Objects.requireNonNull(head, "head");
        if (snapshotInterval.isNegative() || snapshotInterval.isZero()) {
            throw new IllegalArgumentException("snapshotInterval must be positive: " + snapshotInterval);
        }
        // bootstrap, topic, maxReadyLag and zone are checked by the consumer's config
        consumeConfig(instanceId, bootstrap, topic, head, maxReadyLag, zone);
    }

    /** The id as zone and partition. */
    public IngesterId id() {
        return IngesterId.parse(instanceId);
    }

    /** The derived id of ingester {@code partition} in {@code zone}: Mimir's {@code ingester-zone-a-0} for zone {@code zone-a} or {@code a}. */
    public static String instanceId(String zone, int partition) {
        String z = zone.startsWith("zone-") ? zone.substring("zone-".length()) : zone;
        return new IngesterId(z, partition).toString();
    }

    ConsumeConfig consume() {
        return consumeConfig(instanceId, bootstrap, topic, head, maxReadyLag, zone);
    }

    private static ConsumeConfig consumeConfig(String instanceId, String bootstrap, String topic, HeadConfig head,
                                               Duration maxReadyLag, String zone) {
        IngesterId id = IngesterId.parse(instanceId);
        return ConsumeConfig.of(bootstrap, id.partitionId(), ConsumeConfig.group(id.zone(), id.partitionId()), head.retention())
                .withTopic(topic).withMaxReadyLag(maxReadyLag).withZone(zone);
    }
}
