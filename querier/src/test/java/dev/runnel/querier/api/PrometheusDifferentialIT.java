package dev.runnel.querier.api;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runnel.querier.promql.model.Labels;
import dev.runnel.querier.promql.storage.memory.MemoryStorage;
import dev.runnel.server.HttpServer;
import dev.runnel.server.Routes;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same requests to a real Prometheus 2.42 and to the API, over the same series: the answers
 * must be byte for byte the same (status and body). Skipped where Prometheus is not installed.
 */
class PrometheusDifferentialIT {
  static final long T0 = 1_700_000_000L;

  @TempDir
  static Path dir;
  static PrometheusProcess prometheus;
  static HttpServer server;
  static QuerierApi api;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(PrometheusProcess.installed(), "Prometheus is not installed (apt-get install prometheus): skipped");
    MemoryStorage storage = new MemoryStorage();
    StringBuilder om = new StringBuilder();
    Random random = new Random(42);

    om.append("# TYPE requests_total gauge\n");
    for (String job : List.of("api", "db")) {
      for (String instance : List.of("a", "b", "c")) {
        Labels labels = Labels.of("__name__", "requests_total", "instance", instance, "job", job);
        double v = 0;
        for (long t = T0; t <= T0 + 3600; t += 15) {
          v = t == T0 + 1800 && instance.equals("b") ? 3 : v + random.nextInt(20);
          add(storage, om, labels, "requests_total{instance=\"" + instance + "\",job=\"" + job + "\"}", t, v);
        }
      }
    }
    om.append("# TYPE temperature gauge\n");
    String[] rooms = {"attic", "cellar", "hall", "lab"};
    double[] scales = {1, 1e-7, 1e21, 0.1};
    for (int r = 0; r < rooms.length; r++) {
      Labels labels = Labels.of("__name__", "temperature", "room", rooms[r]);
      for (long t = T0; t <= T0 + 3600; t += 30) {
        double v = rooms[r].equals("lab") && t == T0 + 3600 ? Double.NaN : Math.round(random.nextGaussian() * 1000) / 100.0 * scales[r];
        add(storage, om, labels, "temperature{room=\"" + rooms[r] + "\"}", t, v);
      }
    }
    om.append("# TYPE latency_bucket gauge\n");
    String[] les = {"0.1", "0.5", "1", "+Inf"};
    long[] counts = new long[les.length];
    List<StringBuilder> lines = new ArrayList<>();
    for (int b = 0; b < les.length; b++) {
      lines.add(new StringBuilder());
    }
    for (long t = T0; t <= T0 + 3600; t += 15) {
      long below = 0;
      for (int b = 0; b < les.length; b++) {
        below += random.nextInt(10);
        counts[b] += below;
      }
      for (int b = 0; b < les.length; b++) {
        storage.append(Labels.of("__name__", "latency_bucket", "le", les[b]), t * 1000, counts[b]);
        lines.get(b).append("latency_bucket{le=\"").append(les[b]).append("\"} ").append(counts[b]).append(' ').append(t).append('\n');
      }
    }
    lines.forEach(om::append);
    om.append("# TYPE odd gauge\n");
    Labels odd = Labels.of("__name__", "odd", "path", "/a<b>&c", "v", "x\"y");
    for (long t = T0; t <= T0 + 3600; t += 60) {
      add(storage, om, odd, "odd{path=\"/a<b>&c\",v=\"x\\\"y\"}", t, t % 7 == 0 ? Double.POSITIVE_INFINITY : -(t % 11) / 3.0);
    }
    om.append("# EOF\n");

    prometheus = PrometheusProcess.serving(dir, om.toString());
    Routes routes = new Routes();
    api = QuerierApi.register(routes, QuerierConfig.defaults().withMultitenancy(false), tenant -> storage,
        MetricMetadataSource.NONE, BuildInfo.of("", "", ""));
    server = HttpServer.start("127.0.0.1", 0, routes, 1 << 20);
  }

  private static void add(MemoryStorage storage, StringBuilder om, Labels labels, String series, long t, double v) {
    storage.append(labels, t * 1000, v);
    String text = Double.isNaN(v) ? "NaN" : Double.isInfinite(v) ? (v > 0 ? "+Inf" : "-Inf") : Double.toString(v);
    om.append(series).append(' ').append(text).append(' ').append(t).append('\n');
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
      "requests_total", "rate(requests_total[5m])", "sum by (job) (rate(requests_total[5m]))",
      "topk(2, requests_total)", "requests_total[1m]", "temperature", "temperature / 3", "-temperature",
      "histogram_quantile(0.9, sum by (le) (rate(latency_bucket[5m])))", "1/3", "\"hello\"", "time()",
      "vector(1e-7)", "vector(1e21)", "1e-7", "-1e21", "1e300", "vector(-0.0000015)", "count_values(\"v\", temperature)", "absent(nothing)",
      "odd", "odd[3m]", "{path=~\".+\"}", "label_replace(requests_total, \"x\", \"$1\", \"instance\", \"(.*)\")",
      "requests_total offset 10m", "max_over_time(temperature[10m:1m])", "deriv(requests_total[5m])",
      "sum(temperature)",
    };
    String[] times = {String.valueOf(T0 + 1800), String.valueOf(T0 + 3600), (T0 + 3600) + ".5", String.valueOf(T0 + 3800),
        "2023-11-14T22:43:20.25Z"};
    for (String q : instantQueries) {
      for (String time : times) {
        requests.add("query?" + form("query", q, "time", time));
      }
    }
    String[] rangeQueries = {"requests_total", "rate(requests_total[5m])", "sum by (job) (requests_total)", "temperature",
        "1", "odd * 2", "histogram_quantile(0.5, rate(latency_bucket[2m]))"};
    String[][] ranges = {{"600", "3600", "60"}, {"0", "3600", "97"}, {"1800", "3900", "5m"}, {"3599.5", "3600.5", "0.25"}};
    for (String q : rangeQueries) {
      for (String[] r : ranges) {
        requests.add("query_range?" + form("query", q, "start", String.valueOf(T0 + Long.parseLong(r[0].split("\\.")[0]))
            + (r[0].contains(".") ? ".5" : ""), "end", String.valueOf(T0 + Long.parseLong(r[1].split("\\.")[0]))
            + (r[1].contains(".") ? ".5" : ""), "step", r[2]));
      }
    }
    requests.addAll(List.of(
        "series?" + form("match[]", "requests_total{job=\"api\"}"),
        "series?" + form("match[]", "{__name__=~\"temp.*\"}", "match[]", "odd", "start", String.valueOf(T0), "end", String.valueOf(T0 + 3600)),
        "series?" + form("match[]", "nothing"),
        "labels",
        "labels?" + form("match[]", "temperature"),
        "labels?" + form("match[]", "odd", "match[]", "latency_bucket"),
        "label/job/values", "label/__name__/values", "label/le/values?" + form("match[]", "latency_bucket"),
        "label/missing/values",
        "format_query?" + form("query", "sum(rate(x[5m]))by(job)"),
        "format_query?" + form("query", "a + on(b) group_left(c) d offset 5m"),
        "format_query?" + form("query", "-x ^ 2 and y offset 5m @ 100"),
        // errors with Prometheus' messages
        "query?" + form("query", "1 +", "time", "1"),
        "query?" + form("query", "up", "time", "later"),
        "query_range?" + form("query", "up", "start", "10", "end", "5", "step", "1"),
        "query_range?" + form("query", "up", "start", "0", "end", "5", "step", "0"),
        "query_range?" + form("query", "up", "start", "0", "end", "5", "step", "-1"),
        "query_range?" + form("query", "up", "start", "0", "end", "11001", "step", "1"),
        "query_range?" + form("query", "up", "start", "0", "end", "5", "step", "x"),
        "query_range?" + form("query", "up", "end", "5", "step", "1"),
        "query_range?" + form("query", "up[5m]", "start", "0", "end", "5", "step", "1"),
        "series",
        "series?" + form("match[]", "{job=~\".*\"}"),
        "labels?" + form("start", "x"),
        "label/0abc/values"));
    return requests.stream();
  }

  @ParameterizedTest
  @MethodSource("requests")
  void answersAsPrometheusDoes(String request) throws Exception {
    prometheus.assertAnswersAlike("http://127.0.0.1:" + server.port() + QuerierApi.PREFIX, request);
  }

  static String form(String... namesAndValues) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      sb.append(i == 0 ? "" : "&").append(URLEncoder.encode(namesAndValues[i], StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
    }
    return sb.toString();
  }
}
