package dev.runnel.ingester.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.proto.ingester.v1.IngesterQueryMethods;
import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import org.junit.jupiter.api.Test;

class CallerZoneTrafficTest {

    @Test
    void countsACallsMessagesByTheCallersZone() {
        double sent = bytes("sent", "zone-i", "zone-q");
        double received = bytes("received", "zone-i", "zone-q");
        Metadata headers = new Metadata();
        headers.put(IngesterQueryMethods.ZONE_HEADER, "zone-q");
        ServerStreamTracer tracer = new CallerZoneTraffic("zone-i").newServerStreamTracer("runnel.ingester.v1.IngesterQuery/Select", headers);
        tracer.inboundWireSize(40);
        tracer.outboundWireSize(1000);
        tracer.outboundWireSize(500);
        assertThat(bytes("sent", "zone-i", "zone-q") - sent).isEqualTo(1500);
        assertThat(bytes("received", "zone-i", "zone-q") - received).isEqualTo(40);
    }

    @Test
    void aCallerThatNamesNoZoneOrABadOneIsUnknown() {
        double unknown = bytes("sent", "zone-i", "unknown");
        new CallerZoneTraffic("zone-i").newServerStreamTracer("m", new Metadata()).outboundWireSize(7);
        Metadata bad = new Metadata();
        bad.put(IngesterQueryMethods.ZONE_HEADER, "zone q");
        new CallerZoneTraffic("zone-i").newServerStreamTracer("m", bad).outboundWireSize(3);
        assertThat(bytes("sent", "zone-i", "unknown") - unknown).isEqualTo(10);
    }

    private static double bytes(String direction, String local, String peerZone) {
        Labels wanted = Labels.of("direction", direction, "local_zone", local, "peer", CallerZoneTraffic.PEER, "peer_zone", peerZone);
        return PrometheusRegistry.defaultRegistry.scrape().stream()
                .filter(s -> s.getMetadata().getPrometheusName().equals("runnel_network_bytes"))
                .flatMap(s -> ((CounterSnapshot) s).getDataPoints().stream())
                .filter(p -> p.getLabels().equals(wanted))
                .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
                .sum();
    }
}
