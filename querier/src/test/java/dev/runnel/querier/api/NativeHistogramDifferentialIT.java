package dev.runnel.querier.api;

import static dev.runnel.querier.api.PrometheusDifferentialIT.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runnel.proto.prometheus.Label;
import dev.runnel.proto.prometheus.TimeSeries;
import dev.runnel.proto.prometheus.WriteRequest;
import dev.runnel.proto.prometheus.write.v2.BucketSpan;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import dev.runnel.querier.promql.model.Labels;
import dev.runnel.querier.promql.storage.memory.MemoryStorage;
import dev.runnel.querier.promql.value.FloatHistogram;
import dev.runnel.server.HttpServer;
import dev.runnel.server.Routes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xerial.snappy.Snappy;

/**
 * Native histograms sent by remote write to a real Prometheus 2.42 (with
 * {@code --enable-feature=native-histograms}) and held by the API in {@code MemoryStorage}: the
 * same queries must give the same status and body, byte for byte. The histograms use schemas 0
 * and -1, whose bucket bounds are powers of two and so exact in both implementations. Queries
 * whose meaning changed after 2.42 are covered by the evaluation scripts instead (checked by hand
 * against 2.42): it answers histogram minus histogram, irate, idelta, avg, max, abs, sum_over_time,
 * avg_over_time, max_over_time and last_over_time of histograms with a float 0, and histogram
 * times or divided by a scalar and unary minus with the histogram unchanged; Prometheus 2.4x,
 * and we, answer with the histogram result, or nothing where histograms are ignored.
 * Skipped without Prometheus.
 */
class NativeHistogramDifferentialIT {
  static final long T0 = 1_700_000_000L;
  static final HttpClient CLIENT = HttpClient.newHttpClient();

  @TempDir
  static Path dir;
  static PrometheusProcess prometheus;
  static HttpServer server;
  static QuerierApi api;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(PrometheusProcess.installed(), "Prometheus is not installed (apt-get install prometheus): skipped");
    prometheus = PrometheusProcess.empty(dir, "--enable-feature=native-histograms", "--web.enable-remote-write-receiver");
    MemoryStorage storage = new MemoryStorage();
    WriteRequest.Builder write = WriteRequest.newBuilder();
    Random random = new Random(7);
    for (String instance : List.of("a", "b", "c")) {
      // Instance c is coarser (schema -1), so sums across instances reduce to its schema.
      Observations o = new Observations(instance.equals("c") ? -1 : 0, 0.001);
      Labels labels = Labels.of("__name__", "rpc_duration_seconds", "job", "api", "instance", instance);
      TimeSeries.Builder ts = series(labels);
      for (long t = T0; t <= T0 + 3600; t += 15) {
        if (instance.equals("b") && t == T0 + 1800) {
          o = new Observations(0, 0.001); // a restart: the counter starts again
        }
        for (int k = random.nextInt(6); k > 0; k--) {
          o.observe(random.nextDouble() < 0.1 ? random.nextDouble() * 0.001 : Math.exp(random.nextGaussian() * 2));
        }
        add(storage, ts, labels, t, o);
      }
      write.addTimeseries(ts);
    }
    Observations gauge = new Observations(0, 0.5);
    Labels gaugeLabels = Labels.of("__name__", "temperature_celsius", "room", "lab");
    TimeSeries.Builder gaugeSeries = series(gaugeLabels);
    for (long t = T0; t <= T0 + 3600; t += 60) {
      gauge = new Observations(0, 0.5); // a gauge histogram: each sample stands alone
      for (int k = 0; k < 20; k++) {
        gauge.observe(random.nextGaussian() * 10);
      }
      add(storage, gaugeSeries, gaugeLabels, t, gauge);
    }
    write.addTimeseries(gaugeSeries);
    Labels plain = Labels.of("__name__", "plain", "job", "api", "instance", "d");
    TimeSeries.Builder plainSeries = series(plain);
    for (long t = T0; t <= T0 + 3600; t += 15) {
      storage.append(plain, t * 1000, t - T0);
      plainSeries.addSamples(dev.runnel.proto.prometheus.write.v2.Sample.newBuilder().setTimestamp(t * 1000).setValue(t - T0));
    }
    write.addTimeseries(plainSeries);
    HttpResponse<String> written = CLIENT.send(HttpRequest.newBuilder(URI.create(prometheus.baseUrl() + "/api/v1/write"))
        .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
        .header("X-Prometheus-Remote-Write-Version", "0.1.0")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Snappy.compress(write.build().toByteArray()))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(written.statusCode()).as("remote write to Prometheus: %s", written.body()).isEqualTo(204);

    Routes routes = new Routes();
    api = QuerierApi.register(routes, QuerierConfig.defaults().withMultitenancy(false), tenant -> storage,
        MetricMetadataSource.NONE, BuildInfo.of("", "", ""));
    server = HttpServer.start("127.0.0.1", 0, routes, 1 << 20);
  }

  /** Observations into an exponential histogram with integer counts, as a client library keeps them. */
  static final class Observations {
    final int schema;
    final double zeroThreshold;
    final TreeMap<Integer, Long> positive = new TreeMap<>();
    final TreeMap<Integer, Long> negative = new TreeMap<>();
    long zeroCount;
    long count;
    double sum;

    Observations(int schema, double zeroThreshold) {
      this.schema = schema;
      this.zeroThreshold = zeroThreshold;
    }

    void observe(double v) {
      count++;
      sum += v;
      if (Math.abs(v) <= zeroThreshold) {
        zeroCount++;
        return;
      }
      // |v| in (2^e, 2^(e+1)) lies in bucket floor(e / 2^-schema) + 1 for schemas <= 0 (never a bound exactly).
      int index = Math.floorDiv(Math.getExponent(v), 1 << -schema) + 1;
      (v > 0 ? positive : negative).merge(index, 1L, Long::sum);
    }
  }

  private static TimeSeries.Builder series(Labels labels) {
    TimeSeries.Builder ts = TimeSeries.newBuilder();
    for (int i = 0; i < labels.size(); i++) {
      ts.addLabels(Label.newBuilder().setName(labels.name(i)).setValue(labels.value(i)));
    }
    return ts;
  }

  private static void add(MemoryStorage storage, TimeSeries.Builder ts, Labels labels, long t, Observations o) {
    Histogram.Builder h = Histogram.newBuilder().setTimestamp(t * 1000).setSchema(o.schema)
        .setZeroThreshold(o.zeroThreshold).setZeroCountInt(o.zeroCount).setCountInt(o.count).setSum(o.sum);
    spans(o.positive, h::addPositiveSpans, h::addPositiveDeltas);
    spans(o.negative, h::addNegativeSpans, h::addNegativeDeltas);
    ts.addHistograms(h);
    storage.append(labels, t * 1000, new FloatHistogram(o.schema, o.zeroThreshold, o.zeroCount, o.count, o.sum,
        toSpans(o.positive), toCounts(o.positive), toSpans(o.negative), toCounts(o.negative)));
  }

  private static void spans(TreeMap<Integer, Long> buckets, java.util.function.Consumer<BucketSpan> span,
      java.util.function.LongConsumer delta) {
    for (FloatHistogram.Span s : toSpans(buckets)) {
      span.accept(BucketSpan.newBuilder().setOffset(s.offset()).setLength(s.length()).build());
    }
    long previous = 0;
    for (long c : buckets.values()) {
      delta.accept(c - previous);
      previous = c;
    }
  }

  private static FloatHistogram.Span[] toSpans(TreeMap<Integer, Long> buckets) {
    List<FloatHistogram.Span> out = new ArrayList<>();
    int next = 0;
    int start = 0;
    int length = 0;
    for (int index : buckets.keySet()) {
      if (length > 0 && index == start + length) {
        length++;
        continue;
      }
      if (length > 0) {
        out.add(new FloatHistogram.Span(start - next, length));
        next = start + length;
      }
      start = index;
      length = 1;
    }
    if (length > 0) {
      out.add(new FloatHistogram.Span(start - next, length));
    }
    return out.toArray(new FloatHistogram.Span[0]);
  }

  private static double[] toCounts(TreeMap<Integer, Long> buckets) {
    return buckets.values().stream().mapToDouble(Long::doubleValue).toArray();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
      api.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
  }

  static Stream<String> requests() {
    List<String> requests = new ArrayList<>();
    String[] instantQueries = {
      "rpc_duration_seconds", "temperature_celsius", "rpc_duration_seconds[1m]", "temperature_celsius[3m]",
      "rate(rpc_duration_seconds[5m])", "increase(rpc_duration_seconds[10m])", "delta(temperature_celsius[5m])",
      "sum(rpc_duration_seconds)", "sum by (instance) (rate(rpc_duration_seconds[5m]))", "count(rpc_duration_seconds)",
      "group(rpc_duration_seconds)", "sum({job=\"api\"})", "count({job=\"api\"})",
      "histogram_count(rpc_duration_seconds)", "histogram_sum(rate(rpc_duration_seconds[5m]))",
      "histogram_count({job=\"api\"})",
      "histogram_quantile(0.9, rate(rpc_duration_seconds[5m]))", "histogram_quantile(0.5, temperature_celsius)",
      "histogram_quantile(0.01, temperature_celsius)", "histogram_quantile(0.99, sum(rate(rpc_duration_seconds[5m])))",
      "histogram_fraction(0, 1, rate(rpc_duration_seconds[5m]))", "histogram_fraction(-5, 5, temperature_celsius)",
      "histogram_fraction(-1e9, 0, temperature_celsius)",
      "rpc_duration_seconds{instance=\"a\"} + ignoring(instance) rpc_duration_seconds{instance=\"c\"}",
      "count_over_time(rpc_duration_seconds[2m])", "rate(rpc_duration_seconds[5m:1m])",
      "histogram_count(increase(rpc_duration_seconds[1h]))", "sum by (job) (rpc_duration_seconds)",
      "rpc_duration_seconds offset 10m", "timestamp(rpc_duration_seconds)",
    };
    String[] times = {String.valueOf(T0 + 1800), String.valueOf(T0 + 1807), String.valueOf(T0 + 3600),
        String.valueOf(T0 + 3800)};
    for (String q : instantQueries) {
      for (String time : times) {
        requests.add("query?" + form("query", q, "time", time));
      }
    }
    String[] rangeQueries = {"rpc_duration_seconds{instance=\"a\"}", "rate(rpc_duration_seconds[2m])",
        "sum(increase(rpc_duration_seconds[5m]))", "histogram_quantile(0.5, rate(rpc_duration_seconds[5m]))",
        "{job=\"api\"}"};
    String[][] ranges = {{"1500", "2100", "60"}, {"3000", "3900", "97"}};
    for (String q : rangeQueries) {
      for (String[] r : ranges) {
        requests.add("query_range?" + form("query", q, "start", String.valueOf(T0 + Long.parseLong(r[0])),
            "end", String.valueOf(T0 + Long.parseLong(r[1])), "step", r[2]));
      }
    }
    return requests.stream();
  }

  @ParameterizedTest
  @MethodSource("requests")
  void answersAsPrometheusDoes(String request) throws Exception {
    prometheus.assertAnswersAlike("http://127.0.0.1:" + server.port() + QuerierApi.PREFIX, request);
  }
}
