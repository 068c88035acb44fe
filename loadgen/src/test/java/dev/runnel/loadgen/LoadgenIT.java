package dev.runnel.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.runnel.loadgen.report.PhaseResult;
import dev.runnel.loadgen.report.Progress;
import dev.runnel.loadgen.report.Report;
import dev.runnel.loadgen.send.RetryPolicy;
import dev.runnel.loadgen.send.Target;
import dev.runnel.loadgen.wire.Protocol;
import dev.runnel.proto.prometheus.Label;
import dev.runnel.proto.prometheus.WriteRequest;
import dev.runnel.proto.prometheus.write.v2.Request;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xerial.snappy.Snappy;

/** bin/loadgen's run against a tiny in-test remote-write receiver that decodes and checks every request. */
class LoadgenIT {
    private HttpServer server;
    private final List<Received> received = new ArrayList<>();

    /** One request as the receiver saw it: headers, decoded series (label maps) and their timestamps. */
    record Received(Map<String, String> headers, byte[] body, List<Map<String, String>> series, List<Long> timestamps) {
    }

    /**
     * The first exchange of a JVM loads the HTTP client, snappy's native library and the protobuf classes, which
     * takes most of a second on a busy machine: do it once before the timed tests.
     */
    @BeforeAll
    static void warmUp() throws Exception {
        LoadgenIT it = new LoadgenIT();
        try {
            URI url = it.start(Protocol.RW1, n -> 200);
            run(url, Protocol.RW1, 20, 1, 1).phase("warm-up", 200, Duration.ZERO, Duration.ofMillis(300));
            run(url, Protocol.RW2, 20, 1, 1).phase("warm-up", 200, Duration.ZERO, Duration.ofMillis(300));
        } finally {
            it.stop();
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** Starts the receiver; {@code status} maps the request number (from 0) to the status it answers. */
    private URI start(Protocol protocol, IntUnaryOperator status) throws IOException {
        AtomicInteger n = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/api/v1/push", exchange -> {
            try (exchange) {
                Received r = decode(protocol, exchange);
                synchronized (received) {
                    received.add(r);
                }
                exchange.sendResponseHeaders(status.applyAsInt(n.getAndIncrement()), -1);
            } catch (RuntimeException | IOException e) {
                exchange.sendResponseHeaders(599, -1);
                throw e;
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/push");
    }

    private static Received decode(Protocol protocol, HttpExchange exchange) throws IOException {
        Map<String, String> headers = new HashMap<>();
        for (String h : List.of("Content-Encoding", "Content-Type", "X-Prometheus-Remote-Write-Version", "User-Agent",
                "X-Scope-OrgID")) {
            headers.put(h, exchange.getRequestHeaders().getFirst(h));
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        byte[] raw = Snappy.uncompress(body);
        List<Map<String, String>> series = new ArrayList<>();
        List<Long> timestamps = new ArrayList<>();
        if (protocol == Protocol.RW1) {
            for (var ts : WriteRequest.parseFrom(raw).getTimeseriesList()) {
                Map<String, String> labels = new java.util.LinkedHashMap<>();
                for (Label l : ts.getLabelsList()) {
                    labels.put(l.getName(), l.getValue());
                }
                series.add(labels);
                assertThat(ts.getSamplesCount()).isEqualTo(1);
                timestamps.add(ts.getSamples(0).getTimestamp());
            }
        } else {
            Request request = Request.parseFrom(raw);
            assertThat(request.getSymbols(0)).isEmpty();
            for (var ts : request.getTimeseriesList()) {
                Map<String, String> labels = new java.util.LinkedHashMap<>();
                for (int i = 0; i < ts.getLabelsRefsCount(); i += 2) {
                    labels.put(request.getSymbols(ts.getLabelsRefs(i)), request.getSymbols(ts.getLabelsRefs(i + 1)));
                }
                series.add(labels);
                assertThat(ts.getSamplesCount()).isEqualTo(1);
                timestamps.add(ts.getSamples(0).getTimestamp());
            }
        }
        return new Received(headers, body, series, timestamps);
    }

    private static LoadRun run(URI url, Protocol protocol, int series, int shards, int tenants) {
        Workload w = new Workload(new Target(url, protocol, "runnel-loadgen/test", Duration.ofSeconds(5)), series, 6,
                0, 20, shards, tenants, Duration.ofSeconds(15), 1_700_000_000_000L);
        return new LoadRun(w, RetryPolicy.PROMETHEUS, new Progress(new PrintStream(new ByteArrayOutputStream()), false));
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void sendsValidRemoteWriteWithPrometheusHeadersAndTheExpectedSeries(Protocol protocol) throws Exception {
        URI url = start(protocol, n -> 200);
        // 2,000 samples/s in requests of 20: about 50 requests in half a second
        PhaseResult result = run(url, protocol, 60, 3, 2).phase("test", 2_000, Duration.ZERO, Duration.ofMillis(500));

        assertThat(received).hasSizeBetween(30, 60);
        Map<String, Set<String>> seriesByTenant = new HashMap<>();
        Map<String, List<Long>> timestampsBySeries = new HashMap<>();
        long samples = 0;
        for (Received r : received) {
            assertThat(r.headers()).containsEntry("Content-Encoding", "snappy")
                    .containsEntry("Content-Type", protocol.contentType())
                    .containsEntry("X-Prometheus-Remote-Write-Version", protocol == Protocol.RW1 ? "0.1.0" : "2.0.0")
                    .containsEntry("User-Agent", "runnel-loadgen/test");
            assertThat(r.headers().get("X-Scope-OrgID")).isIn("tenant-1", "tenant-2");
            assertThat(r.series()).hasSize(20);
            samples += r.series().size();
            for (int i = 0; i < r.series().size(); i++) {
                Map<String, String> labels = r.series().get(i);
                assertThat(labels).hasSize(6).containsKeys("__name__", "instance", "job");
                assertThat(new ArrayList<>(labels.keySet())).isSorted();
                String key = r.headers().get("X-Scope-OrgID") + labels;
                seriesByTenant.computeIfAbsent(r.headers().get("X-Scope-OrgID"), t -> new HashSet<>()).add(key);
                timestampsBySeries.computeIfAbsent(key, k -> new ArrayList<>()).add(r.timestamps().get(i));
            }
        }
        // 30 series per tenant, each sent more than once, timestamps one scrape interval apart, in arrival order
        assertThat(seriesByTenant.get("tenant-1")).hasSize(30);
        assertThat(seriesByTenant.get("tenant-2")).hasSize(30);
        timestampsBySeries.forEach((s, ts) -> {
            for (int i = 1; i < ts.size(); i++) {
                assertThat(ts.get(i) - ts.get(i - 1)).as(s).isEqualTo(15_000);
            }
        });
        assertThat(result.samplesAcked()).isEqualTo(samples);
        assertThat(result.statuses()).containsOnlyKeys(200);
        assertThat(result.retries()).isZero();
        assertThat(result.latencyMicros().getTotalCount()).isEqualTo(received.size());
        assertThat(new Report("bin/loadgen --test", Map.of(), List.of(result)).table())
                .contains("samples/s acked", "latency p99 ms", "answers 200", "command: bin/loadgen --test");
    }

    @Test
    void retriesServiceUnavailableWithTheSameBody() throws Exception {
        URI url = start(Protocol.RW1, n -> n < 2 ? 503 : 200);
        PhaseResult result = run(url, Protocol.RW1, 20, 1, 1).phase("test", 200, Duration.ZERO, Duration.ofMillis(2_000));

        assertThat(received.size()).isGreaterThanOrEqualTo(3);
        assertThat(received.get(1).body()).isEqualTo(received.get(0).body());
        assertThat(received.get(2).body()).isEqualTo(received.get(0).body());
        assertThat(Arrays.equals(received.get(3).body(), received.get(0).body())).isFalse();
        assertThat(result.retries()).isEqualTo(2);
        assertThat(result.statuses()).containsEntry(503, 2L).containsEntry(200, (long) received.size() - 2);
        assertThat(result.samplesAcked()).isEqualTo(20L * (received.size() - 2));
        assertThat(result.samplesDropped()).isZero();
        assertThat(result.samplesFailed()).isZero();
        // the first request waited 30 + 60 ms of backoff: its latency shows it
        assertThat(result.latencyMicros().getMaxValue()).isGreaterThanOrEqualTo(90_000);
    }

    @Test
    void aStalledAnswerDelaysTheQueuedRequestsAndTheirLatencyShowsIt() throws Exception {
        // one shard at 50 requests/s; request 5 takes 400 ms to answer: the ~20 requests meant to start meanwhile
        // go out late, back to back, and their latency counts the wait while their service time does not
        URI url = start(Protocol.RW1, n -> {
            if (n == 5) {
                try {
                    Thread.sleep(400);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return 200;
        });
        PhaseResult result = run(url, Protocol.RW1, 20, 1, 1).phase("test", 1_000, Duration.ZERO, Duration.ofMillis(1_500));

        long slowLatencies = result.latencyMicros().getCountBetweenValues(100_000, Long.MAX_VALUE / 2);
        long slowServices = result.serviceMicros().getCountBetweenValues(100_000, Long.MAX_VALUE / 2);
        assertThat(result.latencyMicros().getMaxValue()).isGreaterThanOrEqualTo(400_000);
        assertThat(slowLatencies).isGreaterThanOrEqualTo(10);
        assertThat(slowServices).isLessThan(slowLatencies / 2);
        // it caught up: about 1.5 s x 50 requests/s went out, not 1.1 s x 50
        assertThat(result.requestsAcked()).isGreaterThanOrEqualTo(68);
    }

    @Test
    void doesNotRetryBadRequests() throws Exception {
        URI url = start(Protocol.RW2, n -> 400);
        PhaseResult result = run(url, Protocol.RW2, 20, 2, 1).phase("test", 400, Duration.ZERO, Duration.ofMillis(300));

        assertThat(received).isNotEmpty();
        assertThat(result.retries()).isZero();
        assertThat(result.statuses()).containsOnly(Map.entry(400, (long) received.size()));
        assertThat(result.samplesDropped()).isEqualTo(20L * received.size());
        assertThat(result.samplesAcked()).isZero();
        assertThat(result.errors()).isEqualTo(received.size());
        assertThat(result.toMap()).containsEntry("samples_dropped_4xx", 20L * received.size());
    }
}
