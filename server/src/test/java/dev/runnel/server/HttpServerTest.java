package dev.runnel.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Counter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HttpServerTest {
    private static final Counter PROBE = Counter.builder().name("runnel_http_server_test_probe_total").help("A test probe.").register();

    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> get(HttpServer server, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesMetricsReadinessAndNotFound() throws Exception {
        AtomicBoolean ready = new AtomicBoolean(false);
        Readiness readiness = new Readiness();
        readiness.add(() -> ready.get() ? Optional.empty() : Optional.of("agent is starting"));
        PROBE.inc(3);
        try (HttpServer server = HttpServer.start("127.0.0.1", 0, StandardRoutes.create(readiness), 1 << 20)) {
            HttpResponse<String> metrics = get(server, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
            assertThat(metrics.body()).contains("runnel_http_server_test_probe_total 3.0");

            HttpResponse<String> notReady = get(server, "/ready");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).isEqualTo("agent is starting\n");
            ready.set(true);
            assertThat(get(server, "/ready").statusCode()).isEqualTo(200);

            HttpResponse<String> missing = get(server, "/nope?x=1");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).isEqualTo("no route for /nope\n");
        }
    }

    @Test
    void anOversizedBodyIsAnswered413() throws Exception {
        Routes routes = StandardRoutes.create(new Readiness())
                .add("/echo", request -> java.util.concurrent.CompletableFuture.completedFuture(
                        HttpResponses.text(io.netty.handler.codec.http.HttpResponseStatus.OK, "ok\n")));
        try (HttpServer server = HttpServer.start("127.0.0.1", 0, routes, 1024)) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/echo"))
                    .POST(HttpRequest.BodyPublishers.ofString("x".repeat(4096))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(413);
        }
    }
}
