package dev.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.runnel.loadgen.Loadgen;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/loadgen --verify} against the binary (agent, distributor, ingesters and querier in one process): every
 * acknowledged sample is read back through the querier; and a request that a proxy in between acknowledges without
 * passing it on is detected, its samples reported missing.
 */
class LoadgenVerifyIT {
    private static final int SAMPLES_PER_REQUEST = 100;

    /** Kept when the test fails: the process' log is in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void everyAcknowledgedSampleIsReadBackAndADroppedRequestIsDetected() throws Exception {
        Path config = dir.resolve("runnel.yaml");
        Files.writeString(config, "limits:\n  ingestion_rate: 100000000\n  ingestion_burst_size: 100000000\n");
        try (RunnelProcess runnel = new RunnelProcess("all", dir.resolve("data"), List.of("-config.file=" + config,
                "-agent.batch-timeout=50ms", "-data.fsync=false", "-ingest-storage.kafka.auto-create-topic-default-partitions=2"))
                .start()) {
            String base = "http://127.0.0.1:" + runnel.httpPort;

            // The proxy answers the first distinct request 200 without passing it on (the first: on a busy machine a
            // 3 s run may see only a couple of requests answered). This run's samples lie 2 h back, the
            // next run's 1 h back: the same series, later samples, so neither run sees the other's.
            HttpServer proxy = droppingProxy(URI.create(base + "/api/v1/push"), 1);
            try {
                Run dropped = loadgen("http://127.0.0.1:" + proxy.getAddress().getPort() + "/api/v1/push", base, "2h", "4s");
                assertThat(dropped.exitCode()).as(dropped.output()).isEqualTo(2);
                assertThat(dropped.output()).containsPattern("missing +" + SAMPLES_PER_REQUEST + " ")
                        .containsPattern("duplicated +0 ").containsPattern("wrong +0 ")
                        .contains("missing: tenant-1 {__name__=").contains("verify: FAILED");
            } finally {
                proxy.stop(0);
            }

            Run ok = loadgen(base + "/api/v1/push", base, "1h", "30s");
            assertThat(ok.exitCode()).as(ok.output()).isZero();
            assertThat(ok.output()).containsPattern("missing +0 ").containsPattern("wrong +0 ").contains("verify: OK");
        }
    }

    record Run(int exitCode, String output) {
    }

    private static Run loadgen(String url, String base, String backfill, String verifyTimeout) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Loadgen.execute(new PrintStream(out, true, StandardCharsets.UTF_8), "--url", url,
                "--active-series", "200", "--samples-per-request", Integer.toString(SAMPLES_PER_REQUEST),
                "--concurrency", "2", "--rate", "2000", "--duration", "3s", "--warmup", "0s", "--backfill", backfill,
                "--verify", "--query-url", base + "/prometheus", "--verify-timeout", verifyTimeout);
        return new Run(code, out.toString(StandardCharsets.UTF_8));
    }

    /**
     * Passes remote writes on to {@code target}, except the {@code drop}th distinct request (from 1), which it answers
     * 200 without passing it on. Retries are not distinct (same body): a request Runnel answered 503 under load, and
     * so may have written, is never the one dropped.
     */
    private static HttpServer droppingProxy(URI target, int drop) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger distinct = new AtomicInteger();
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "dropping-proxy");
            t.setDaemon(true);
            return t;
        }));
        proxy.createContext("/api/v1/push", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                if (seen.add(Base64.getEncoder().encodeToString(body)) && distinct.incrementAndGet() == drop) {
                    exchange.sendResponseHeaders(200, -1);
                    return;
                }
                HttpRequest.Builder forward = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
                for (String h : List.of("Content-Encoding", "Content-Type", "X-Prometheus-Remote-Write-Version",
                        "X-Scope-OrgID")) {
                    String v = exchange.getRequestHeaders().getFirst(h);
                    if (v != null) {
                        forward.header(h, v);
                    }
                }
                HttpResponse<byte[]> answer = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
                exchange.getResponseBody().write(answer.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        proxy.start();
        return proxy;
    }
}
