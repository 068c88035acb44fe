package dev.runnel.ingester.consume;

import dev.runnel.server.zone.ClientZones;
import java.time.Duration;
import java.util.Objects;

/**
 * What one {@link PartitionConsumer} reads and how.
 *
 * @param bootstrap    the log's bootstrap address, {@code host:port[,host:port...]}
 * @param topic        the ingest topic (distributor/RECORDS.md), {@code ingest} by default
 * @param partition    the one partition this consumer replays
 * @param group        the consumer group its durable offsets are committed under; see {@link #group(String, int)}
 * @param retention    how far back from now records are still of use to the head (its retention); where
 *                     to start when there is nothing to resume from ({@link StartOffset})
 * @param maxReadyLag  how far behind the partition's end, in time, the consumer may be and still be
 *                     ready (flag {@code -ingester.max-ready-lag}, 15 s as in Mimir)
 * @param gcInterval   how often the consumer thread collects old chunks and series ({@code Heads.gc()})
 * @param zone         the ingester's zone, told to the log in the client id ({@link ClientZones}); empty: not told
 */
public record ConsumeConfig(String bootstrap, String topic, int partition, String group, Duration retention,
                            Duration maxReadyLag, Duration gcInterval, String zone) {

    public static final String DEFAULT_TOPIC = "ingest";
    public static final Duration DEFAULT_MAX_READY_LAG = Duration.ofSeconds(15);
    public static final Duration DEFAULT_GC_INTERVAL = Duration.ofMinutes(1);

    public ConsumeConfig {
        Objects.requireNonNull(bootstrap, "bootstrap");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(group, "group");
        if (bootstrap.isBlank()) {
            throw new IllegalArgumentException("bootstrap must not be empty: give the log's host:port");
        }
        if (partition < 0) {
            throw new IllegalArgumentException("partition must not be negative: " + partition);
        }
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive: " + retention);
        }
        if (maxReadyLag.isNegative()) {
            throw new IllegalArgumentException("maxReadyLag must not be negative: " + maxReadyLag);
        }
        if (gcInterval.isNegative() || gcInterval.isZero()) {
            throw new IllegalArgumentException("gcInterval must be positive: " + gcInterval);
        }
        ClientZones.clientId("", zone); // checks it
    }

    /** Defaults for everything but where to read from: topic {@code ingest}, 15 s ready lag, gc every minute. */
    public static ConsumeConfig of(String bootstrap, int partition, String group, Duration retention) {
        return new ConsumeConfig(bootstrap, DEFAULT_TOPIC, partition, group, retention, DEFAULT_MAX_READY_LAG, DEFAULT_GC_INTERVAL, "");
    }

    /** The consumer group of ingester {@code n} of zone {@code zone}: {@code ingester-zone-<zone>-<n>}. */
    public static String group(String zone, int n) {
        if (zone.isEmpty() || n < 0) {
            throw new IllegalArgumentException("zone must not be empty and n not negative: zone \"" + zone + "\", n " + n);
        }
        return "ingester-zone-" + zone + "-" + n;
    }

    public ConsumeConfig withTopic(String newTopic) {
        return new ConsumeConfig(bootstrap, newTopic, partition, group, retention, maxReadyLag, gcInterval, zone);
    }

    public ConsumeConfig withMaxReadyLag(Duration newMaxReadyLag) {
        return new ConsumeConfig(bootstrap, topic, partition, group, retention, newMaxReadyLag, gcInterval, zone);
    }

    public ConsumeConfig withZone(String newZone) {
        return new ConsumeConfig(bootstrap, topic, partition, group, retention, maxReadyLag, gcInterval, newZone);
    }

    /** The consumer's Kafka client id: {@code <group>-<partition>}, with the zone when there is one. */
    public String clientId() {
        return ClientZones.clientId(group + "-" + partition, zone);
    }

    public ConsumeConfig withGcInterval(Duration newGcInterval) {
        return new ConsumeConfig(bootstrap, topic, partition, group, retention, maxReadyLag, newGcInterval, zone);
    }
}
