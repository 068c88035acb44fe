package dev.runnel.ingester.grpc;

import dev.runnel.proto.ingester.v1.IngesterQueryMethods;
import dev.runnel.server.zone.ClientZones;
import dev.runnel.server.zone.NetworkBytes;
import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;

/**
 * Counts the bytes of each query call by the zones of ingester and caller
 * ({@code runnel_network_bytes_total{peer="querier"}}); the caller names its zone in the {@code x-runnel-zone}
 * header ({@link IngesterQueryMethods#ZONE_HEADER}), {@code unknown} if it does not. Counted are the messages' wire
 * sizes as gRPC reports them (after compression, without the 5-byte message prefix and HTTP/2 framing).
 */
final class CallerZoneTraffic extends ServerStreamTracer.Factory {
    static final String PEER = "querier";

    private final String localZone;

    CallerZoneTraffic(String localZone) {
        this.localZone = localZone;
    }

    @Override
    public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
        NetworkBytes.Link link = NetworkBytes.link(PEER, localZone,
                ClientZones.zoneOrUnknown(headers.get(IngesterQueryMethods.ZONE_HEADER)));
        return new ServerStreamTracer() {
            @Override
            public void inboundWireSize(long bytes) {
                link.received(bytes);
            }

            @Override
            public void outboundWireSize(long bytes) {
                link.sent(bytes);
            }
        };
    }
}
