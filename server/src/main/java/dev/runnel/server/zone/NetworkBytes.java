package dev.runnel.server.zone;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * {@code runnel_network_bytes_total{direction, peer, local_zone, peer_zone}}: bytes a component sent to and received
 * from a kind of peer, by the pair of zones. Cross-zone traffic is billed (by the GB, each way) and same-zone traffic
 * is not, so a cost model sums the series whose two zones differ. {@code peer} is the kind of the other end
 * ({@code kafka-client}, {@code querier}, {@code object-store}, ...); {@code peer_zone} is {@link ClientZones#UNKNOWN}
 * when the peer did not say, and {@code regional} for a regional service such as the object store.
 *
 * <p>Registered once in the default registry; callers resolve a {@link Link} once per connection or call and add
 * to it on the hot path without looking labels up again.
 */
public final class NetworkBytes {
    /** The {@code peer_zone} of a service that is not in one zone (object storage). */
    public static final String REGIONAL = "regional";

    private static final Counter BYTES = Counter.builder()
            .name("runnel_network_bytes_total")
            .help("Bytes sent to and received from peers, by peer kind and by the zones of both ends.")
            .labelNames("direction", "peer", "local_zone", "peer_zone")
            .register(PrometheusRegistry.defaultRegistry);

    private NetworkBytes() {
    }

    /** The two counters of traffic with one kind of peer between two zones. */
    public static Link link(String peer, String localZone, String peerZone) {
        String local = localZone == null || localZone.isEmpty() ? ClientZones.UNKNOWN : localZone;
        return new Link(BYTES.labelValues("sent", peer, local, peerZone), BYTES.labelValues("received", peer, local, peerZone));
    }

    /** Adds to the bytes of one peer kind and zone pair; thread-safe. */
    public static final class Link {
        private final CounterDataPoint sent;
        private final CounterDataPoint received;

        private Link(CounterDataPoint sent, CounterDataPoint received) {
            this.sent = sent;
            this.received = received;
        }

        public void sent(long bytes) {
            if (bytes > 0) {
                sent.inc(bytes);
            }
        }

        public void received(long bytes) {
            if (bytes > 0) {
                received.inc(bytes);
            }
        }
    }
}
