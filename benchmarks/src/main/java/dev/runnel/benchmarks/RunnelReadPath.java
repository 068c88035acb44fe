package dev.runnel.benchmarks;

import dev.runnel.ingester.grpc.ConsistencyWaiter;
import dev.runnel.ingester.grpc.IngesterGrpcServer;
import dev.runnel.ingester.grpc.ServedPartitions;
import dev.runnel.ingester.head.HeadConfig;
import dev.runnel.ingester.head.Heads;
import dev.runnel.ingester.head.TenantHead;
import dev.runnel.ingester.labels.Labels;
import dev.runnel.querier.api.BuildInfo;
import dev.runnel.querier.api.MetricMetadataSource;
import dev.runnel.querier.api.QuerierApi;
import dev.runnel.querier.api.QuerierConfig;
import dev.runnel.querier.fanout.EndOffsets;
import dev.runnel.querier.fanout.FanoutQueryable;
import dev.runnel.querier.fanout.IngesterClientPool;
import dev.runnel.querier.fanout.OwnerPreference;
import dev.runnel.ring.OwnerState;
import dev.runnel.ring.Partition;
import dev.runnel.ring.PartitionOwner;
import dev.runnel.ring.PartitionRing;
import dev.runnel.ring.PartitionState;
import dev.runnel.server.HttpServer;
import dev.runnel.server.Routes;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runnel's read path in this JVM, as the binary wires it: {@code partitions} ingesters' heads behind
 * one gRPC query service on 127.0.0.1, a ring naming them, and the querier's HTTP API fanning out
 * over gRPC. The heads are filled directly (the write path is not what is measured).
 */
final class RunnelReadPath implements AutoCloseable {
    static final String TENANT = "anonymous";

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<Heads> heads = new ArrayList<>();
    private final int httpPort;

    RunnelReadPath(int partitions) throws IOException {
        ServedPartitions served = new ServedPartitions();
        for (int p = 0; p < partitions; p++) {
            Heads h = new Heads(HeadConfig.DEFAULT);
            heads.add(h);
            served.add(p, h, ConsistencyWaiter.NONE);
        }
        IngesterGrpcServer grpc = IngesterGrpcServer.start("127.0.0.1", 0, served);
        closing.add(grpc);
        String address = "127.0.0.1:" + grpc.port();
        List<Partition> ring = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            ring.add(new Partition(p, PartitionState.ACTIVE, 1, List.of(new PartitionOwner("ingester-zone-a-" + p, "a",
                    OwnerState.ACTIVE, Long.MAX_VALUE / 2, address))));
        }
        PartitionRing partitionRing = PartitionRing.of(ring);
        IngesterClientPool clients = new IngesterClientPool(Duration.ofMinutes(1), "zone-a");
        closing.add(clients);
        ExecutorService fanout = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "querier-fanout");
            t.setDaemon(true);
            return t;
        });
        closing.add(fanout::shutdownNow);
        Routes routes = new Routes();
        OwnerPreference owners = OwnerPreference.zone("a");
        closing.add(QuerierApi.register(routes, QuerierConfig.defaults().withMultitenancy(false),
                (tenant, consistency) -> new FanoutQueryable(() -> partitionRing, owners, clients, tenant, EndOffsets.NONE, fanout),
                MetricMetadataSource.NONE, BuildInfo.of("", "", "")));
        HttpServer http = HttpServer.start("127.0.0.1", 0, routes, 1 << 20);
        closing.add(http);
        httpPort = http.port();
    }

    /** Appends the workload's samples, each series to the partition its label hash picks. */
    void load(QueryWorkload workload) {
        List<String[]> sets = workload.labelSets();
        int[] refs = new int[sets.size()];
        TenantHead[] heads = new TenantHead[sets.size()];
        for (int i = 0; i < sets.size(); i++) {
            heads[i] = this.heads.get(Math.floorMod(Arrays.hashCode(sets.get(i)), this.heads.size())).forTenant(TENANT);
            refs[i] = heads[i].refOf(Labels.of(sets.get(i)));
        }
        int n = 0;
        for (long t = workload.start; t <= workload.end; t += workload.step, n++) {
            for (int i = 0; i < refs.length; i++) {
                heads[i].append(refs[i], t, workload.value(i, n));
            }
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + httpPort + "/prometheus";
    }

    @Override
    public void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }
}
