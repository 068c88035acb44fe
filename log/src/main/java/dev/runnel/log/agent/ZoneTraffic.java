package dev.runnel.log.agent;

import dev.runnel.server.zone.ClientZones;
import dev.runnel.server.zone.NetworkBytes;
import io.netty.channel.Channel;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * Counts the Kafka frames of each connection by the zone pair of agent and client
 * ({@code runnel_network_bytes_total{peer="kafka-client"}}). The client's zone comes from its {@code client.id}
 * ({@link ClientZones}), read from the first request of a connection and kept for its life: a Kafka client keeps
 * one client id per connection. Frames are counted whole, with their 4-byte size.
 */
final class ZoneTraffic {
    static final String PEER = "kafka-client";
    private static final AttributeKey<NetworkBytes.Link> LINK = AttributeKey.valueOf("runnel-agent-zone-link");

    private final String localZone;

    ZoneTraffic(String localZone) {
        this.localZone = localZone;
    }

    void received(Channel channel, RequestHeader request, int frameBytes) {
        link(channel, request).received(frameBytes);
    }

    void sent(Channel channel, RequestHeader request, int frameBytes) {
        link(channel, request).sent(frameBytes);
    }

    private NetworkBytes.Link link(Channel channel, RequestHeader request) {
        Attribute<NetworkBytes.Link> attribute = channel.attr(LINK);
        NetworkBytes.Link link = attribute.get();
        if (link == null) {
            link = NetworkBytes.link(PEER, localZone, ClientZones.zoneOf(request.clientId()));
            attribute.set(link); // one event loop per channel: no race
        }
        return link;
    }
}
