package dev.runnel.querier.fanout;

import dev.runnel.proto.ingester.v1.MetadataRequest;
import dev.runnel.querier.api.MetricMetadata;
import dev.runnel.querier.ingester.IngesterClient;
import dev.runnel.querier.ingester.IngesterQueryable;
import dev.runnel.querier.promql.storage.Querier;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One {@link IngesterClient} per ingester address, created on first use and kept: a channel is
 * costly to open and carries any number of calls at once. Closing the pool closes every client.
 */
public final class IngesterClientPool implements IngesterReplicas, IngesterMetadata, AutoCloseable {

    private final Duration timeout;
    private final String zone;
    private final ConcurrentMap<String, IngesterClient> byAddress = new ConcurrentHashMap<>();

    /**
     * @param timeout the deadline of each call to an ingester; past it the fan-out asks the next owner
     * @param zone    the querier's zone, told to the ingesters so they can count cross-zone bytes
     */
    public IngesterClientPool(Duration timeout, String zone) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("ingester call timeout must be positive: " + timeout);
        }
        this.timeout = timeout;
        this.zone = zone;
    }

    @Override
    public Querier querier(String address, String tenant, int partition, OptionalLong minOffset) {
        // The time range only hints; each select names its own.
        return new IngesterQueryable(client(address), tenant, partition, minOffset).querier(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Override
    public List<MetricMetadata> metadata(String address, String tenant, int partition, String metric, OptionalLong minOffset) {
        MetadataRequest request = MetadataRequest.newBuilder().setFamily(metric)
                .setConsistency(IngesterQueryable.consistency(partition, minOffset)).build();
        return client(address).metadata(tenant, request).stream()
                .map(m -> new MetricMetadata(m.getFamily(), m.getType(), m.getHelp(), m.getUnit()))
                .toList();
    }

    private IngesterClient client(String address) {
        return byAddress.computeIfAbsent(address, a -> new IngesterClient(a, timeout, zone));
    }

    @Override
    public void close() {
        List<IngesterClient> clients = List.copyOf(byAddress.values());
        byAddress.clear();
        clients.forEach(IngesterClient::close);
    }
}
