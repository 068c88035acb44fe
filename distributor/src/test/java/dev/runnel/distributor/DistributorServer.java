package dev.runnel.distributor;

import dev.runnel.distributor.limits.Limits;
import dev.runnel.distributor.limits.TenantLimits;
import dev.runnel.distributor.push.DiscardCounters;
import dev.runnel.distributor.sharding.TopicPartitions;
import dev.runnel.server.HttpServer;
import dev.runnel.server.Readiness;
import dev.runnel.server.Routes;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** A distributor in this JVM on its own HTTP server, writing to the log at a bootstrap address, with a client of it. */
public final class DistributorServer implements AutoCloseable {
    public static final String TOPIC = "ingest";

    private final Distributor distributor;
    private final HttpServer http;
    private final Readiness readiness;
    private final PushClient client;

    private DistributorServer(Distributor distributor, HttpServer http, Readiness readiness) {
        this.distributor = distributor;
        this.http = http;
        this.readiness = readiness;
        this.client = new PushClient(pushUri());
    }

    /** Creates the topic {@value #TOPIC} with {@code partitions} partitions unless it exists; multitenancy is on. */
    public static DistributorServer start(String bootstrap, int partitions) throws InterruptedException {
        return start(bootstrap, partitions, true);
    }

    /** @param multitenancy whether {@code X-Scope-OrgID} names the tenant, else every request is {@code anonymous} */
    public static DistributorServer start(String bootstrap, int partitions, boolean multitenancy) throws InterruptedException {
        return start(bootstrap, partitions, multitenancy, TenantLimits.fixed(Limits.DEFAULTS));
    }

    /** With these tenants' limits (they choose, for example, how OTLP is translated); no push stages run. */
    public static DistributorServer start(String bootstrap, int partitions, boolean multitenancy, TenantLimits limits)
            throws InterruptedException {
        Readiness readiness = new Readiness();
        Routes routes = new Routes();
        Distributor distributor = Distributor.start(new DistributorConfig(bootstrap, TOPIC, partitions, Duration.ofSeconds(5),
                100 << 20, 1 << 20, multitenancy, "zone-a"), new TopicPartitions(partitions), List.of(), limits, new DiscardCounters(new PrometheusRegistry()),
                routes, readiness);
        return new DistributorServer(distributor, HttpServer.start("127.0.0.1", 0, routes, 100 << 20), readiness);
    }

    public Readiness readiness() {
        return readiness;
    }

    public URI pushUri() {
        return URI.create("http://127.0.0.1:" + http.port() + "/api/v1/push");
    }

    public URI otlpUri() {
        return URI.create("http://127.0.0.1:" + http.port() + "/otlp/v1/metrics");
    }

    /** Posts a snappy-compressed remote-write message of {@code tenant}. */
    public HttpResponse<String> push(String tenant, String contentType, byte[] message) throws IOException, InterruptedException {
        return client.push(tenant, contentType, message);
    }

    @Override
    public void close() {
        http.close();
        distributor.close();
    }
}
