package dev.runnel.benchmarks;

import dev.runnel.proto.prometheus.Label;
import dev.runnel.proto.prometheus.TimeSeries;
import dev.runnel.proto.prometheus.WriteRequest;
import dev.runnel.proto.prometheus.write.v2.Sample;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.xerial.snappy.Snappy;

/**
 * A real Prometheus (the Debian package's {@code /usr/bin/prometheus}, 2.42) with its remote-write
 * receiver on, no scrape targets and a fresh TSDB, filled through remote write 1.0.
 */
final class PrometheusServer implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static final int SERIES_PER_REQUEST = 5_000;

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static PrometheusServer start(Path dir) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: apt-get install prometheus");
        }
        Path config = Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1m\n");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(BINARY.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-remote-write-receiver", "--storage.tsdb.retention.time=100y")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(process, port);
        server.awaitReady(log);
        return server;
    }

    private void awaitReady(Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited: " + Files.readString(log));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("prometheus was not ready within 60 s: " + Files.readString(log));
    }

    /** Remote-writes the workload, one timestamp after the other (a series' samples must arrive in order). */
    void load(QueryWorkload workload) throws Exception {
        List<List<Label>> labels = new ArrayList<>();
        for (String[] set : workload.labelSets()) {
            List<Label> l = new ArrayList<>(set.length / 2);
            for (int i = 0; i < set.length; i += 2) {
                l.add(Label.newBuilder().setName(set[i]).setValue(set[i + 1]).build());
            }
            labels.add(l);
        }
        int n = 0;
        for (long t = workload.start; t <= workload.end; t += workload.step, n++) {
            List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            for (int from = 0; from < labels.size(); from += SERIES_PER_REQUEST) {
                WriteRequest.Builder request = WriteRequest.newBuilder();
                for (int i = from; i < Math.min(labels.size(), from + SERIES_PER_REQUEST); i++) {
                    request.addTimeseries(TimeSeries.newBuilder().addAllLabels(labels.get(i))
                            .addSamples(Sample.newBuilder().setTimestamp(t).setValue(workload.value(i, n))));
                }
                sent.add(http.sendAsync(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/write"))
                        .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                        .header("X-Prometheus-Remote-Write-Version", "0.1.0").timeout(Duration.ofMinutes(2))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(Snappy.compress(request.build().toByteArray()))).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> answer : sent) {
                HttpResponse<String> r = answer.join();
                if (r.statusCode() / 100 != 2) {
                    throw new IOException("prometheus refused remote write: " + r.statusCode() + " " + r.body());
                }
            }
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
