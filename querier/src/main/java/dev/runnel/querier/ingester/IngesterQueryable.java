package dev.runnel.querier.ingester;

import dev.runnel.proto.ingester.v1.LabelNamesRequest;
import dev.runnel.proto.ingester.v1.LabelValuesRequest;
import dev.runnel.proto.ingester.v1.ReadConsistency;
import dev.runnel.proto.ingester.v1.SelectRequest;
import dev.runnel.querier.promql.model.Matcher;
import dev.runnel.querier.promql.model.Series;
import dev.runnel.querier.promql.storage.Querier;
import dev.runnel.querier.promql.storage.Queryable;
import java.util.List;
import java.util.OptionalLong;

/**
 * The PromQL engine's storage over one ingester and one tenant: every {@link Querier} call is one
 * call to the ingester's query service. {@code dev.runnel.querier.fanout} fans out over the
 * partitions' owners with one of these per partition.
 */
public final class IngesterQueryable implements Queryable {

    private final IngesterClient client;
    private final String tenant;
    private final ReadConsistency consistency;

    /** Reads what the ingester holds when asked, without waiting for any offset. */
    public IngesterQueryable(IngesterClient client, String tenant) {
        this(client, tenant, 0, OptionalLong.empty());
    }

    /**
     * Reads after write: each call first waits (within the client's timeout) until the ingester
     * has consumed {@code partition} up to {@code minOffset}, when it is present.
     */
    public IngesterQueryable(IngesterClient client, String tenant, int partition, OptionalLong minOffset) {
        if (tenant == null || tenant.isEmpty()) {
            throw new IllegalArgumentException("tenant must not be empty");
        }
        this.client = client;
        this.tenant = tenant;
        this.consistency = consistency(partition, minOffset);
    }

    /** A request's consistency: read {@code partition}, after the record at {@code minOffset} when present. */
    public static ReadConsistency consistency(int partition, OptionalLong minOffset) {
        ReadConsistency.Builder c = ReadConsistency.newBuilder().setPartition(partition);
        minOffset.ifPresent(c::setMinOffset);
        return c.build();
    }

    @Override
    public Querier querier(long minT, long maxT) {
        return new Querier() {
            @Override
            public List<Series> select(long minT, long maxT, List<Matcher> matchers) {
                return client.select(tenant, SelectRequest.newBuilder()
                        .setMinTimeMs(minT)
                        .setMaxTimeMs(maxT)
                        .addAllMatchers(ProtoMatchers.toProto(matchers))
                        .setConsistency(consistency)
                        .build());
            }

            @Override
            public List<String> labelNames(List<Matcher> matchers) {
                return client.labelNames(tenant, LabelNamesRequest.newBuilder()
                        .addAllMatchers(ProtoMatchers.toProto(matchers))
                        .setConsistency(consistency)
                        .build());
            }

            @Override
            public List<String> labelValues(String name, List<Matcher> matchers) {
                return client.labelValues(tenant, LabelValuesRequest.newBuilder()
                        .setName(name)
                        .addAllMatchers(ProtoMatchers.toProto(matchers))
                        .setConsistency(consistency)
                        .build());
            }
        };
    }
}
