package dev.runnel.querier.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.querier.promql.model.Labels;
import dev.runnel.querier.promql.storage.Queryable;
import dev.runnel.querier.promql.storage.memory.MemoryStorage;
import dev.runnel.server.HttpServer;
import dev.runnel.server.Readiness;
import dev.runnel.server.Routes;
import dev.runnel.server.StandardRoutes;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API over a real HTTP server and client, against in-memory series. */
class QuerierApiIT {
  /** 2023-11-14T22:13:20Z, the time "now" of these tests. */
  static final long T = 1_700_000_000_000L;
  static final String NOW = "1700000000";

  static final MemoryStorage STORAGE = new MemoryStorage();
  static final MemoryStorage OTHER_TENANT = new MemoryStorage();
  static final HttpClient CLIENT = HttpClient.newHttpClient();

  static HttpServer server;
  static QuerierApi api;
  static HttpServer tenantServer;
  static QuerierApi tenantApi;
  static HttpServer limitedServer;
  static QuerierApi limitedApi;

  @BeforeAll
  static void start() {
    for (int i = 0; i <= 10; i++) {
      long t = T - 600_000 + i * 60_000L;
      STORAGE.append(Labels.of("__name__", "up", "job", "api", "instance", "a:9090"), t, 1);
      STORAGE.append(Labels.of("__name__", "up", "job", "db", "instance", "b:9090"), t, i % 2);
    }
    double[] values = {1, 0.1, 1e-7, 1.5e-7, 1e21, 123456.789, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, -0.0, 0.000001, 9.99e20};
    for (int i = 0; i < values.length; i++) {
      STORAGE.append(Labels.of("__name__", "f", "i", String.format("%02d", i)), T, values[i]);
    }
    STORAGE.append(Labels.of("__name__", "old", "job", "gone"), 1_000_000L, 7);
    STORAGE.append(Labels.of("__name__", "escaped", "v", "<a&b>\u0001\"\n"), T, 1);
    for (int i = 0; i < 2000; i++) {
      STORAGE.append(Labels.of("__name__", "big", "i", Integer.toString(i)), T, i);
    }
    OTHER_TENANT.append(Labels.of("__name__", "up", "job", "tenant-b"), T, 42);

    Clock clock = Clock.fixed(Instant.ofEpochMilli(T), ZoneOffset.UTC);
    MetricMetadataSource metadata = (tenant, metric, consistency) -> List.of(
            new MetricMetadata("up", "gauge", "Whether the target is up.", ""),
            new MetricMetadata("up", "gauge", "Whether the target is up.", ""),
            new MetricMetadata("http_requests_total", "counter", "Requests.", ""),
            new MetricMetadata("process_seconds", "counter", "CPU time.", "seconds"))
        .stream().filter(m -> metric.isEmpty() || m.metric().equals(metric)).toList();
    BuildInfo buildInfo = new BuildInfo("2.42.0", "abc123", "main", "", "20231114-22:13:20", "java17");

    Routes routes = StandardRoutes.create(new Readiness());
    api = QuerierApi.register(routes, QuerierConfig.defaults().withMultitenancy(false), tenant -> STORAGE,
        metadata, buildInfo, clock);
    server = HttpServer.start("127.0.0.1", 0, routes, 1 << 20);

    Map<String, Queryable> byTenant = Map.of("team-a", STORAGE, "team-b", OTHER_TENANT);
    Function<String, Queryable> tenants = tenant -> byTenant.getOrDefault(tenant, new MemoryStorage());
    Routes tenantRoutes = new Routes();
    tenantApi = QuerierApi.register(tenantRoutes, QuerierConfig.defaults(), tenants, MetricMetadataSource.NONE,
        buildInfo, clock);
    tenantServer = HttpServer.start("127.0.0.1", 0, tenantRoutes, 1 << 20);

    Routes limitedRoutes = new Routes();
    limitedApi = QuerierApi.register(limitedRoutes, QuerierConfig.defaults().withMultitenancy(false).withMaxSamples(100),
        tenant -> STORAGE, MetricMetadataSource.NONE, buildInfo, clock);
    limitedServer = HttpServer.start("127.0.0.1", 0, limitedRoutes, 1 << 20);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {server, api, tenantServer, tenantApi, limitedServer, limitedApi}) {
      try {
        c.close();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }

  // ---- helpers

  static String form(String... namesAndValues) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(URLEncoder.encode(namesAndValues[i], StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  static HttpResponse<String> get(HttpServer on, String route, String... params) throws Exception {
    return send(on, HttpRequest.newBuilder(uri(on, route + "?" + form(params))).GET());
  }

  static HttpResponse<String> get(String route, String... params) throws Exception {
    return get(server, route, params);
  }

  static HttpResponse<String> post(String route, String... params) throws Exception {
    return send(server, HttpRequest.newBuilder(uri(server, route))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form(params))));
  }

  static URI uri(HttpServer on, String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + on.port() + QuerierApi.PREFIX + pathAndQuery);
  }

  static HttpResponse<String> send(HttpServer on, HttpRequest.Builder request) throws Exception {
    return CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static void assertAnswer(HttpResponse<String> response, int status, String json) {
    assertThat(response.body()).isEqualTo(json);
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
  }

  static void assertError(HttpResponse<String> response, int status, String type, String message) {
    assertAnswer(response, status, "{\"status\":\"error\",\"errorType\":\"" + type + "\",\"error\":\""
        + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
  }

  // ---- query

  @Test
  void anInstantVectorByGetAndByPost() throws Exception {
    String expected = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + "{\"metric\":{\"__name__\":\"up\",\"instance\":\"a:9090\",\"job\":\"api\"},\"value\":[1700000000.123,\"1\"]},"
        + "{\"metric\":{\"__name__\":\"up\",\"instance\":\"b:9090\",\"job\":\"db\"},\"value\":[1700000000.123,\"0\"]}]}}";
    assertAnswer(get("query", "query", "up", "time", "1700000000.123"), 200, expected);
    assertAnswer(post("query", "query", "up", "time", "1700000000.123"), 200, expected);
    assertAnswer(post("query", "query", "up", "time", "2023-11-14T22:13:20.123Z"), 200, expected);
  }

  @Test
  void timeDefaultsToNowAndVectorTimesKeepTheirMillisecondDigits() throws Exception {
    assertAnswer(get("query", "query", "vector(1)", "time", "1700000000.1"), 200,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1700000000.100,\"1\"]}]}}");
    assertAnswer(get("query", "query", "sum(up)"), 200,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1700000000,\"1\"]}]}}");
    assertAnswer(get("query", "query", "time()", "time", "1700000000.1"), 200,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000.1,\"1700000000.1\"]}}");
    assertAnswer(get("query", "query", "-1", "time", "-1.5"), 200,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[-1.5,\"-1\"]}}");
  }

  @Test
  void scalarStringAndRangeVectorResults() throws Exception {
    assertAnswer(get("query", "query", "1.5", "time", NOW), 200,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000,\"1.5\"]}}");
    assertAnswer(get("query", "query", "\"a<b\"", "time", NOW), 200,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[1700000000,\"a\\u003cb\"]}}");
    assertAnswer(get("query", "query", "up{job=\"db\"}[2m]", "time", NOW), 200,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
            + "{\"metric\":{\"__name__\":\"up\",\"instance\":\"b:9090\",\"job\":\"db\"},"
            + "\"values\":[[1699999880,\"0\"],[1699999940,\"1\"],[1700000000,\"0\"]]}]}}");
  }

  @Test
  void valuesAreFormattedAsPrometheusDoes() throws Exception {
    String body = get("query", "query", "f", "time", NOW).body();
    String[] expected = {"1", "0.1", "1e-07", "1.5e-07", "1e+21", "123456.789", "NaN", "+Inf", "-Inf", "-0",
        "0.000001", "999000000000000000000"};
    StringBuilder json = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[");
    for (int i = 0; i < expected.length; i++) {
      json.append(i == 0 ? "" : ",").append(String.format(
          "{\"metric\":{\"__name__\":\"f\",\"i\":\"%02d\"},\"value\":[1700000000,\"%s\"]}", i, expected[i]));
    }
    assertThat(body).isEqualTo(json.append("]}}").toString());
  }

  @Test
  void labelValuesAreEscapedAsGoDoes() throws Exception {
    assertThat(get("query", "query", "escaped", "time", NOW).body())
        .contains("{\"__name__\":\"escaped\",\"v\":\"\\u003ca\\u0026b\\u003e\\u0001\\\"\\n\"}");
  }

  // ---- query_range

  @Test
  void aRangeQueryWithStepAsDurationOrSeconds() throws Exception {
    String expected = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
        + "{\"metric\":{\"instance\":\"b:9090\",\"job\":\"db\"},\"values\":[[1699999880,\"1\"],[1699999940,\"2\"],[1700000000,\"1\"]]}]}}";
    String query = "up{job=\"db\"} + 1";
    assertAnswer(get("query_range", "query", query, "start", "1699999880", "end", NOW, "step", "1m"), 200, expected);
    assertAnswer(post("query_range", "query", query, "start", "1699999880", "end", NOW, "step", "60"), 200, expected);
    assertAnswer(get("query_range", "query", "2", "start", NOW, "end", "1700000000.5", "step", "0.25"), 200,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},"
            + "\"values\":[[1700000000,\"2\"],[1700000000.250,\"2\"],[1700000000.500,\"2\"]]}]}}");
  }

  @Test
  void rangeQueryParametersAreCheckedAsPrometheusDoes() throws Exception {
    assertError(get("query_range", "query", "up", "start", "10", "end", "5", "step", "1"), 400, "bad_data",
        "invalid parameter \"end\": end timestamp must not be before start time");
    assertError(get("query_range", "query", "up", "start", "0", "end", "5", "step", "0"), 400, "bad_data",
        "invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer");
    assertError(get("query_range", "query", "up", "start", "0", "end", "11001", "step", "1"), 400, "bad_data",
        "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)");
    assertThat(get("query_range", "query", "up", "start", "0", "end", "11000", "step", "1").statusCode()).isEqualTo(200);
    assertError(get("query_range", "query", "up", "start", "0", "end", "5", "step", "fast"), 400, "bad_data",
        "invalid parameter \"step\": cannot parse \"fast\" to a valid duration");
    assertError(get("query_range", "query", "up", "start", "0", "end", "5", "step", "1e300"), 400, "bad_data",
        "invalid parameter \"step\": cannot parse \"1e300\" to a valid duration. It overflows int64");
    assertError(get("query_range", "query", "up", "end", "5", "step", "1"), 400, "bad_data",
        "invalid parameter \"start\": cannot parse \"\" to a valid timestamp");
    assertError(get("query_range", "query", "up", "start", "0", "end", "soon", "step", "1"), 400, "bad_data",
        "invalid parameter \"end\": cannot parse \"soon\" to a valid timestamp");
    assertError(get("query_range", "query", "up[5m]", "start", "0", "end", "5", "step", "1"), 400, "bad_data",
        "invalid expression type \"range vector\" for range query, must be Scalar or instant Vector");
  }

  // ---- errors

  @Test
  void badQueriesAndTimesAreBadData() throws Exception {
    assertError(get("query", "query", "sum(up) +", "time", NOW), 400, "bad_data",
        "invalid parameter \"query\": 1:10: parse error: unexpected end of input");
    assertError(post("query", "query", "sum(up)\n  by", "time", NOW), 400, "bad_data",
        "invalid parameter \"query\": 2:5: parse error: unexpected end of input in grouping opts, expected \"(\"");
    assertError(get("query", "query", "up", "time", "yesterday"), 400, "bad_data",
        "invalid parameter \"time\": Invalid time value for 'time': cannot parse \"yesterday\" to a valid timestamp");
    assertError(get("query", "time", NOW), 400, "bad_data",
        "invalid parameter \"query\": 1:1: parse error: no expression found in input");
    assertError(get("query", "query", "up", "timeout", "soon"), 400, "bad_data",
        "invalid parameter \"timeout\": cannot parse \"soon\" to a valid duration");
    assertError(get("query", "query", "up", "time", "NaN"), 400, "bad_data",
        "invalid parameter \"time\": Invalid time value for 'time': cannot parse \"NaN\" to a valid timestamp");
  }

  @Test
  void executionErrorsAre422() throws Exception {
    assertError(get("query", "query", "label_replace(up, \"0x\", \"a\", \"job\", \".*\")", "time", NOW), 422, "execution",
        "invalid destination label name in label_replace(): 0x");
  }

  @Test
  void tooManySamplesIsAnExecutionError() throws Exception {
    assertError(get(limitedServer, "query", "query", "sum(big)", "time", NOW), 422, "execution",
        "query processing would load too many samples into memory in query execution");
  }

  @Test
  void aQueryPastItsTimeoutIs503() throws Exception {
    HttpResponse<String> response = get("query", "query", "sum(big)", "time", NOW, "timeout", "0.000000001");
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).startsWith("{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out");
    assertThat(get("query", "query", "sum(big)", "time", NOW, "timeout", "1m").body()).contains("\"1999000\"");
  }

  @Test
  void otherMethodsAre405AndUnknownPaths404() throws Exception {
    assertThat(send(server, HttpRequest.newBuilder(uri(server, "query?query=up")).DELETE()).statusCode()).isEqualTo(405);
    assertThat(send(server, HttpRequest.newBuilder(uri(server, "metadata"))
        .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(405);
    assertThat(get("label/job/other").statusCode()).isEqualTo(404);
    assertThat(get("label//values").statusCode()).isEqualTo(404);
    assertThat(get("nothing").statusCode()).isEqualTo(404);
  }

  // ---- series and labels

  @Test
  void seriesMatchingAnySelectorWithSamplesInTheRange() throws Exception {
    assertAnswer(get("series", "match[]", "up", "match[]", "{job=\"api\"}", "match[]", "old"), 200,
        "{\"status\":\"success\",\"data\":["
            + "{\"__name__\":\"old\",\"job\":\"gone\"},"
            + "{\"__name__\":\"up\",\"instance\":\"a:9090\",\"job\":\"api\"},"
            + "{\"__name__\":\"up\",\"instance\":\"b:9090\",\"job\":\"db\"}]}");
    assertAnswer(post("series", "match[]", "{__name__=~\"up|old\"}", "start", "1699999000", "end", NOW), 200,
        "{\"status\":\"success\",\"data\":["
            + "{\"__name__\":\"up\",\"instance\":\"a:9090\",\"job\":\"api\"},"
            + "{\"__name__\":\"up\",\"instance\":\"b:9090\",\"job\":\"db\"}]}");
    assertAnswer(get("series", "match[]", "nothing"), 200, "{\"status\":\"success\",\"data\":[]}");
    assertError(get("series"), 400, "bad_data", "no match[] parameter provided");
    assertError(get("series", "match[]", "{job=~\".*\"}"), 400, "bad_data",
        "invalid parameter \"match[]\": match[] must contain at least one non-empty matcher");
    assertThat(get("series", "match[]", "up{").body()).startsWith(
        "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"match[]\\\": 1:4: parse error:");
  }

  @Test
  void labelNamesAndValues() throws Exception {
    assertAnswer(get("labels"), 200, "{\"status\":\"success\",\"data\":[\"__name__\",\"i\",\"instance\",\"job\",\"v\"]}");
    assertAnswer(post("labels", "match[]", "up"), 200, "{\"status\":\"success\",\"data\":[\"__name__\",\"instance\",\"job\"]}");
    assertAnswer(get("label/job/values"), 200, "{\"status\":\"success\",\"data\":[\"api\",\"db\",\"gone\"]}");
    assertAnswer(get("label/job/values", "match[]", "up", "match[]", "old"), 200,
        "{\"status\":\"success\",\"data\":[\"api\",\"db\",\"gone\"]}");
    assertAnswer(get("label/job/values", "match[]", "up{instance=\"a:9090\"}"), 200, "{\"status\":\"success\",\"data\":[\"api\"]}");
    assertAnswer(get("label/missing/values"), 200, "{\"status\":\"success\",\"data\":[]}");
    assertError(get("label/0abc/values"), 400, "bad_data", "invalid label name: \"0abc\"");
    assertError(get("labels", "start", "x"), 400, "bad_data",
        "invalid parameter \"start\": Invalid time value for 'start': cannot parse \"x\" to a valid timestamp");
  }

  // ---- metadata, buildinfo, format_query

  @Test
  void metadataByMetricWithALimit() throws Exception {
    assertAnswer(get("metadata"), 200, "{\"status\":\"success\",\"data\":{"
        + "\"http_requests_total\":[{\"type\":\"counter\",\"help\":\"Requests.\",\"unit\":\"\"}],"
        + "\"process_seconds\":[{\"type\":\"counter\",\"help\":\"CPU time.\",\"unit\":\"seconds\"}],"
        + "\"up\":[{\"type\":\"gauge\",\"help\":\"Whether the target is up.\",\"unit\":\"\"}]}}");
    assertAnswer(get("metadata", "metric", "up"), 200,
        "{\"status\":\"success\",\"data\":{\"up\":[{\"type\":\"gauge\",\"help\":\"Whether the target is up.\",\"unit\":\"\"}]}}");
    assertAnswer(get("metadata", "limit", "1"), 200, "{\"status\":\"success\",\"data\":{"
        + "\"http_requests_total\":[{\"type\":\"counter\",\"help\":\"Requests.\",\"unit\":\"\"}]}}");
    assertAnswer(get("metadata", "limit", "0"), 200, "{\"status\":\"success\",\"data\":{}}");
    assertError(get("metadata", "limit", "ten"), 400, "bad_data", "limit must be a number");
    assertAnswer(get(limitedServer, "metadata"), 200, "{\"status\":\"success\",\"data\":{}}");
  }

  @Test
  void buildInfoAndFormatQuery() throws Exception {
    assertAnswer(get("status/buildinfo"), 200, "{\"status\":\"success\",\"data\":{\"version\":\"2.42.0\","
        + "\"revision\":\"abc123\",\"branch\":\"main\",\"buildUser\":\"\",\"buildDate\":\"20231114-22:13:20\",\"goVersion\":\"java17\"}}");
    assertAnswer(get("format_query", "query", "sum(rate(up[5m]))by(job)"), 200,
        "{\"status\":\"success\",\"data\":\"sum by (job) (rate(up[5m]))\"}");
    assertAnswer(post("format_query", "query", "foo/bar"), 200, "{\"status\":\"success\",\"data\":\"foo / bar\"}");
    assertError(get("format_query", "query", "foo{a=\"b\""), 400, "bad_data",
        "invalid parameter \"query\": 1:10: parse error: unexpected end of input in label matching, expected \",\" or \"}\"");
  }

  // ---- tenants

  @Test
  void withMultitenancyTheHeaderChoosesTheTenantsSeries() throws Exception {
    HttpResponse<String> missing = get(tenantServer, "query", "query", "up", "time", NOW);
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.body()).isEqualTo("no tenant: the X-Scope-OrgID header is missing\n");
    HttpResponse<String> invalid = send(tenantServer, HttpRequest.newBuilder(uri(tenantServer, "labels"))
        .header("X-Scope-OrgID", "a/b"));
    assertThat(invalid.statusCode()).isEqualTo(400);

    HttpResponse<String> b = send(tenantServer, HttpRequest.newBuilder(uri(tenantServer, "query?query=up&time=" + NOW))
        .header("X-Scope-OrgID", "team-b"));
    assertAnswer(b, 200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + "{\"metric\":{\"__name__\":\"up\",\"job\":\"tenant-b\"},\"value\":[1700000000,\"42\"]}]}}");
    HttpResponse<String> a = send(tenantServer, HttpRequest.newBuilder(uri(tenantServer, "label/job/values"))
        .header("X-Scope-OrgID", "team-a"));
    assertAnswer(a, 200, "{\"status\":\"success\",\"data\":[\"api\",\"db\",\"gone\"]}");
  }

  @Test
  void withoutMultitenancyTheHeaderIsIgnored() throws Exception {
    HttpResponse<String> response = send(server, HttpRequest.newBuilder(uri(server, "query?query=up&time=" + NOW))
        .header("X-Scope-OrgID", "team-b"));
    assertThat(response.body()).contains("\"job\":\"api\"").doesNotContain("tenant-b");
  }

  // ---- metrics

  @Test
  void answersAreCountedByRouteAndStatus() throws Exception {
    get("query", "query", "up", "time", NOW);
    get("query", "query", "sum(", "time", NOW);
    HttpResponse<String> metrics = CLIENT.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.body())
        .contains("runnel_querier_requests_total{route=\"query\",status=\"200\"}")
        .contains("runnel_querier_requests_total{route=\"query\",status=\"400\"}")
        .contains("runnel_querier_request_duration_seconds_count{route=\"query\"}");
  }
}
