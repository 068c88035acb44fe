package dev.runnel.distributor.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runnel.distributor.TestRequests;
import dev.runnel.distributor.limits.Limits;
import dev.runnel.distributor.limits.LimitsYaml;
import dev.runnel.distributor.limits.TenantLimits;
import dev.runnel.distributor.produce.FakeRecordWriter;
import dev.runnel.distributor.produce.RecordWriteException;
import dev.runnel.distributor.push.DiscardCounters;
import dev.runnel.distributor.push.MetricValues;
import dev.runnel.distributor.push.PushPipeline;
import dev.runnel.distributor.ratelimit.RateLimitStage;
import dev.runnel.distributor.sharding.TopicPartitions;
import dev.runnel.distributor.validation.ValidationStage;
import dev.runnel.server.HttpServer;
import dev.runnel.server.Routes;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OTLP route over real HTTP with validation and rate limiting, against an in-memory log. */
class OtlpHandlerTest {
    private static final long NOW_NANOS = System.currentTimeMillis() * 1_000_000;
    private static final FakeRecordWriter log = new FakeRecordWriter();
    private static final ExecutorService executor = Executors.newFixedThreadPool(2);
    private static final PrometheusRegistry registry = new PrometheusRegistry();
    private static HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void startServer() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Limits defaults = LimitsYaml.over(Limits.DEFAULTS, json.readTree("{\"max_label_names_per_series\": 3}"));
        Limits throttled = LimitsYaml.over(defaults, json.readTree("{\"ingestion_rate\": 0, \"ingestion_burst_size\": 0}"));
        Limits suffixed = LimitsYaml.over(defaults, json.readTree("{\"otel_metric_suffixes_enabled\": true}"));
        TenantLimits limits = TenantLimits.fixed(defaults, Map.of("throttled", throttled, "suffixed", suffixed));
        DiscardCounters discards = new DiscardCounters(registry);
        PushPipeline pipeline = new PushPipeline(List.of(new ValidationStage(limits, discards), new RateLimitStage(limits, discards)),
                new TopicPartitions(2), log, 1 << 20, Duration.ofSeconds(5), Time.SYSTEM);
        server = HttpServer.start("127.0.0.1", 0, new Routes().add(OtlpHandler.PATH,
                new OtlpHandler(pipeline, true, 64 * 1024, executor, limits, discards)), 1 << 20);
    }

    @AfterAll
    static void stopServer() {
        server.close();
        executor.shutdownNow();
    }

    @BeforeEach
    void resetLog() {
        log.reset();
    }

    private static KeyValue attr(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static Metric gauge(String name, double value, KeyValue... attributes) {
        return Metric.newBuilder().setName(name).setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
                .setAsDouble(value).setTimeUnixNano(NOW_NANOS).addAllAttributes(List.of(attributes)))).build();
    }

    private static Metric counter(String name, double value, AggregationTemporality temporality) {
        return Metric.newBuilder().setName(name).setSum(Sum.newBuilder().setIsMonotonic(true).setAggregationTemporality(temporality)
                .addDataPoints(NumberDataPoint.newBuilder().setAsDouble(value).setTimeUnixNano(NOW_NANOS))).build();
    }

    private static ExportMetricsServiceRequest request(Metric... metrics) {
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attr("service.name", "api")))
                .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics)))).build();
    }

    private HttpResponse<byte[]> post(String tenant, String contentType, byte[] body) throws Exception {
        return post("POST", tenant, contentType, body);
    }

    private HttpResponse<byte[]> post(String method, String tenant, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + OtlpHandler.PATH))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (tenant != null) {
            request.header("X-Scope-OrgID", tenant);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static Map<String, String> labelsOf(String name) {
        return TestRequests.readAll(log.requests()).stream().filter(s -> s.labels().get("__name__").equals(name))
                .findFirst().orElseThrow().labels();
    }

    @Test
    void aValidRequestIsWrittenAndAnsweredWithAnEmptyResponse() throws Exception {
        HttpResponse<byte[]> response = post("team", "application/x-protobuf",
                request(gauge("queue.depth", 3), counter("requests", 5, AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE))
                        .toByteArray());

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
        assertThat(ExportMetricsServiceResponse.parseFrom(response.body()).hasPartialSuccess()).isFalse();
        assertThat(labelsOf("queue_depth")).containsEntry("job", "api");
        assertThat(labelsOf("requests")).containsEntry("job", "api");
        assertThat(log.writes()).extracting(FakeRecordWriter.Write::tenant).containsOnly("team");
    }

    @Test
    void theTenantsLimitsChooseTheTranslation() throws Exception {
        HttpResponse<byte[]> response = post("suffixed", "application/x-protobuf",
                request(counter("requests", 5, AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)).toByteArray());

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(labelsOf("requests_total")).containsEntry("job", "api");
    }

    @Test
    void pointsTranslationRejectsAreAPartialSuccessAndCountedAsDiscarded() throws Exception {
        double before = MetricValues.discardedSamples(registry, OtlpHandler.INVALID, "partial");
        HttpResponse<byte[]> response = post("partial", "application/x-protobuf",
                request(gauge("ok", 1), counter("delta", 5, AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)).toByteArray());

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        var partial = ExportMetricsServiceResponse.parseFrom(response.body()).getPartialSuccess();
        assertThat(partial.getRejectedDataPoints()).isEqualTo(1);
        assertThat(partial.getErrorMessage()).contains("\"delta\"").contains("delta temporality is not supported");
        assertThat(labelsOf("ok")).containsEntry("job", "api");
        assertThat(MetricValues.discardedSamples(registry, OtlpHandler.INVALID, "partial")).isEqualTo(before + 1);
    }

    @Test
    void aRequestWhosePointsAreAllRejectedIs400AndWritesNothing() throws Exception {
        HttpResponse<byte[]> response = post("team", "application/x-protobuf",
                request(counter("delta", 5, AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)).toByteArray());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(text(response)).contains("delta temporality is not supported");
        assertThat(log.writes()).isEmpty();
    }

    @Test
    void seriesThePipelineRejectsMakeAPartialSuccessWhileTheRestIsWritten() throws Exception {
        HttpResponse<byte[]> response = post("team", "application/x-protobuf", request(gauge("fine", 1),
                gauge("wide", 2, attr("a", "1"), attr("b", "2"), attr("c", "3"))).toByteArray());

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        var partial = ExportMetricsServiceResponse.parseFrom(response.body()).getPartialSuccess();
        assertThat(partial.getRejectedDataPoints()).isEqualTo(1);
        assertThat(partial.getErrorMessage()).contains("wide");
        assertThat(TestRequests.readAll(log.requests())).extracting(s -> s.labels().get("__name__")).containsExactly("fine");
    }

    @Test
    void rateLimitingStays429() throws Exception {
        HttpResponse<byte[]> response = post("throttled", "application/x-protobuf", request(gauge("g", 1)).toByteArray());

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(text(response)).contains("ingestion rate limit");
        assertThat(log.writes()).isEmpty();
    }

    @Test
    void aFailingLogIs503WhichClientsRetry() throws Exception {
        log.failWith(new RecordWriteException("broken", false, "the log broke", null));
        HttpResponse<byte[]> response = post("team", "application/x-protobuf", request(gauge("g", 1)).toByteArray());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(text(response)).contains("the log broke");
    }

    @Test
    void jsonIsAnsweredInJson() throws Exception {
        HttpResponse<byte[]> response = post("team", "application/json", """
                {"resourceMetrics": [{"scopeMetrics": [{"metrics": [
                  {"name": "temp", "gauge": {"dataPoints": [{"asDouble": 21.5, "timeUnixNano": "%d"}]}},
                  {"name": "d", "sum": {"aggregationTemporality": 1, "isMonotonic": true, "dataPoints": [{"asDouble": 1}]}}
                ]}]}]}""".formatted(NOW_NANOS).getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(text(response)).contains("\"rejectedDataPoints\"").contains("delta temporality");
        assertThat(labelsOf("temp")).containsEntry("__name__", "temp");
    }

    @Test
    void badRequestsGetOtlpStatuses() throws Exception {
        byte[] body = request(gauge("g", 1)).toByteArray();
        assertThat(post(null, "application/x-protobuf", body).statusCode()).isEqualTo(401);
        assertThat(post("PUT", "team", "application/x-protobuf", body).statusCode()).isEqualTo(405);
        HttpResponse<byte[]> wrongType = post("team", "text/plain", body);
        assertThat(wrongType.statusCode()).isEqualTo(415);
        assertThat(wrongType.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
        assertThat(post("team", "application/x-protobuf", new byte[] {(byte) 0xff, 1, 2}).statusCode()).isEqualTo(400);
        assertThat(post("team", "application/x-protobuf", new byte[100 * 1024]).statusCode()).isEqualTo(413);
        assertThat(log.writes()).isEmpty();
    }
}
