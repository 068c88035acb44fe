package dev.runnel.distributor.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.runnel.proto.prometheus.TimeSeries;
import dev.runnel.proto.prometheus.WriteRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.xerial.snappy.Snappy;

/**
 * A real Prometheus server (the Debian package's {@code /usr/bin/prometheus}) for compatibility
 * tests: it scrapes itself every second and sends what it scrapes with remote write to the URL
 * given; reopened, it only answers queries. {@code .ci/run} installs the package.
 */
final class PrometheusServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static PrometheusServer startWritingTo(Path dir, String remoteWriteUrl) throws Exception {
        return start(dir, port -> """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: prometheus
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                remote_write:
                  - url: %s
                    queue_config:
                      batch_send_deadline: 500ms
                      min_backoff: 50ms
                      max_backoff: 500ms
                    metadata_config:
                      send_interval: 1s
                """.formatted(port, remoteWriteUrl));
    }

    /**
     * Opens the TSDB a stopped server left in {@code dir} again, without scraping or remote
     * writing: what it holds stays as the first server left it, for comparison.
     */
    static PrometheusServer reopen(Path dir) throws Exception {
        return start(dir, port -> "global:\n  scrape_interval: 1m\n");
    }

    /** Starts Prometheus on a free port with the configuration made for that port. */
    private static PrometheusServer start(Path dir, IntFunction<String> configForPort) throws Exception {
        Path binary = Path.of("/usr/bin/prometheus");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is missing: install the Debian package prometheus"
                    + " (apt-get install prometheus), as .ci/run does");
        }
        int port = freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, configForPort.apply(port));
        Process process = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("prometheus.log").toFile()))
                .start();
        PrometheusServer server = new PrometheusServer(process, port);
        server.awaitReady(dir.resolve("prometheus.log"));
        return server;
    }

    /**
     * Every series with samples between {@code startMs} and {@code endMs}, through the remote
     * read API: raw samples, stale markers and NaN payloads included (PromQL drops stale markers).
     */
    List<TimeSeries> readAll(long startMs, long endMs) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/read"))
                .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Read-Version", "0.1.0").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Snappy.compress(readEverything(startMs, endMs)))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("Prometheus answered " + response.statusCode() + ": " + new String(response.body(), StandardCharsets.UTF_8));
        }
        // ReadResponse { repeated QueryResult results = 1 }, and a QueryResult { repeated TimeSeries timeseries = 1 }
        // has the wire form of a WriteRequest.
        List<TimeSeries> series = new ArrayList<>();
        CodedInputStream in = CodedInputStream.newInstance(Snappy.uncompress(response.body()));
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == 1) {
                series.addAll(WriteRequest.parseFrom(in.readBytes()).getTimeseriesList());
            } else {
                in.skipField(tag);
            }
        }
        return series;
    }

    /** ReadRequest { queries = 1: Query { start_timestamp_ms = 1, end_timestamp_ms = 2, matchers = 3: {__name__=~".+"} } }. */
    private static byte[] readEverything(long startMs, long endMs) throws IOException {
        ByteString matcher = message(out -> {
            out.writeEnum(1, 2); // LabelMatcher.Type.RE
            out.writeString(2, "__name__");
            out.writeString(3, ".+");
        });
        ByteString query = message(out -> {
            out.writeInt64(1, startMs);
            out.writeInt64(2, endMs);
            out.writeBytes(3, matcher);
        });
        return message(out -> out.writeBytes(1, query)).toByteArray();
    }

    private interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    private static ByteString message(Fields fields) throws IOException {
        ByteString.Output bytes = ByteString.newOutput();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        fields.write(out);
        out.flush();
        return bytes.toByteString();
    }

    /** The result of an instant query ({@code data.result}). */
    JsonNode query(String promql, double time) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time=" + time);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("Prometheus answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).path("data").path("result");
    }

    private void awaitReady(Path log) throws Exception {
        URI ready = URI.create("http://127.0.0.1:" + port + "/-/ready");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited: " + Files.readString(log));
            }
            try {
                if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("prometheus was not ready within 30 s: " + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
