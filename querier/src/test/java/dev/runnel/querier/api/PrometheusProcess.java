package dev.runnel.querier.api;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus 2.42 (the Debian package's {@code /usr/bin/prometheus}) serving the blocks
 * that {@code promtool tsdb create-blocks-from openmetrics} made from a text file: the reference
 * the query API is compared with.
 */
final class PrometheusProcess implements AutoCloseable {
  static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  private static final HttpClient COMPARING = HttpClient.newHttpClient();

  private final Process process;
  private final int port;

  private PrometheusProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static boolean installed() {
    return Files.isExecutable(PROMETHEUS) && Files.isExecutable(PROMTOOL);
  }

  /** Turns OpenMetrics text into blocks under {@code dir}/data and serves them. */
  static PrometheusProcess serving(Path dir, String openMetrics) throws Exception {
    Path input = Files.writeString(dir.resolve("data.om"), openMetrics);
    Path data = dir.resolve("data");
    run(dir, List.of(PROMTOOL.toString(), "tsdb", "create-blocks-from", "openmetrics", input.toString(), data.toString()));
    return start(dir, data);
  }

  /** Starts Prometheus over an empty TSDB under {@code dir}/data, with extra flags (feature flags, receivers). */
  static PrometheusProcess empty(Path dir, String... flags) throws Exception {
    return start(dir, dir.resolve("data"), flags);
  }

  private static PrometheusProcess start(Path dir, Path data, String... flags) throws Exception {
    Path config = Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1m\n");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> command = new ArrayList<>(List.of(PROMETHEUS.toString(),
        "--config.file=" + config, "--storage.tsdb.path=" + data, "--web.listen-address=127.0.0.1:" + port,
        "--storage.tsdb.retention.time=100y"));
    command.addAll(List.of(flags));
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    PrometheusProcess prometheus = new PrometheusProcess(process, port);
    prometheus.awaitReady(dir);
    return prometheus;
  }

  private static void run(Path dir, List<String> command) throws IOException, InterruptedException {
    Path log = dir.resolve("promtool.log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(command + " failed: " + Files.readString(log));
    }
  }

  private void awaitReady(Path dir) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("prometheus exited: " + Files.readString(dir.resolve("prometheus.log")));
      }
      try {
        HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/-/ready"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    close();
    throw new IllegalStateException("prometheus was not ready within 30s: " + Files.readString(dir.resolve("prometheus.log")));
  }

  /**
   * Asserts that the querier whose API prefix is {@code querierApi} answers {@code request} (the part after
   * {@code /api/v1/}) with the same status and the same bytes as this Prometheus.
   */
  void assertAnswersAlike(String querierApi, String request) throws Exception {
    HttpResponse<String> expected = get(baseUrl() + "/api/v1/" + request);
    HttpResponse<String> actual = get(querierApi + request);
    assertThat(actual.body()).isEqualTo(expected.body());
    assertThat(actual.statusCode()).isEqualTo(expected.statusCode());
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return COMPARING.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
