package dev.runnel.loadgen.cost;

import dev.runnel.loadgen.scrape.Counters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Runnel used during a run, from the growth of its counters between the scrapes.
 *
 * <p><b>Ingested bytes</b> are the record-batch bytes the log accepted from producers
 * ({@code runnel_agent_produced_bytes_total}): the distributor's records as they go to the log, which is what a
 * Kafka deployment would carry too. Not the remote-write payload (snappy-compressed protobuf, smaller).
 *
 * <p><b>Cross-zone bytes</b> are {@code runnel_network_bytes_total} series whose {@code local_zone} and
 * {@code peer_zone} differ, both known and the peer not {@code regional} (the object store). Each connection is
 * counted by its server end only (agent, ingester), so summing both directions counts every byte once.
 *
 * @param seconds           wall-clock seconds between the scrapes
 * @param ingestedBytes     bytes produced to the log
 * @param crossZoneBytes    bytes between different zones, both directions
 * @param sameZoneBytes     bytes within one zone
 * @param unknownZoneBytes  bytes with a peer that did not name its zone (not priced)
 * @param puts              object-store PUT requests
 * @param gets              object-store GET and ranged GET requests
 * @param lists             object-store LIST requests (priced as PUTs)
 * @param deletes           object-store DELETE requests (free)
 * @param putBytes          bytes written to the object store
 */
public record Usage(double seconds, double ingestedBytes, double crossZoneBytes, double sameZoneBytes,
                    double unknownZoneBytes, double puts, double gets, double lists, double deletes, double putBytes) {
    static final String NETWORK = "runnel_network_bytes_total";
    static final String REQUESTS = "runnel_object_store_requests_total";

    public static Usage from(Counters c) {
        double cross = c.sum(NETWORK, l -> zoned(l) && !l.get("local_zone").equals(l.get("peer_zone")));
        double same = c.sum(NETWORK, l -> zoned(l) && l.get("local_zone").equals(l.get("peer_zone")));
        double unknown = c.sum(NETWORK, l -> !"regional".equals(l.get("peer_zone"))
                && ("unknown".equals(l.get("peer_zone")) || "unknown".equals(l.get("local_zone"))));
        return new Usage(c.seconds(), c.sum("runnel_agent_produced_bytes_total"), cross, same, unknown,
                requests(c, "put"), requests(c, "get") + requests(c, "range_get"), requests(c, "list"),
                requests(c, "delete"), c.sum("runnel_object_store_bytes_total", l -> "put".equals(l.get("operation"))));
    }

    /** Both zones known and the peer in a zone. */
    private static boolean zoned(Map<String, String> l) {
        String local = l.get("local_zone");
        String peer = l.get("peer_zone");
        return local != null && peer != null && !local.equals("unknown") && !peer.equals("unknown") && !peer.equals("regional");
    }

    private static double requests(Counters c, String operation) {
        return c.sum(REQUESTS, l -> operation.equals(l.get("operation")));
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", seconds);
        m.put("ingested_bytes", ingestedBytes);
        m.put("ingested_bytes_definition", "record-batch bytes produced to the log (runnel_agent_produced_bytes_total)");
        m.put("cross_zone_bytes", crossZoneBytes);
        m.put("same_zone_bytes", sameZoneBytes);
        m.put("unknown_zone_bytes", unknownZoneBytes);
        m.put("object_store_puts", puts);
        m.put("object_store_gets", gets);
        m.put("object_store_lists", lists);
        m.put("object_store_deletes", deletes);
        m.put("object_store_put_bytes", putBytes);
        return m;
    }
}
