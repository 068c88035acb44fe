package dev.runnel.querier.api;

import dev.runnel.querier.promql.storage.Queryable;
import dev.runnel.server.HttpHandler;
import dev.runnel.server.HttpResponses;
import dev.runnel.server.Routes;
import dev.runnel.server.Tenants;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The Prometheus HTTP query API (as of Prometheus 2.42) under {@value #PREFIX}, as Mimir serves
 * it: {@code query}, {@code query_range}, {@code series}, {@code labels},
 * {@code label/<name>/values}, {@code metadata}, {@code status/buildinfo} and
 * {@code format_query}. Requests are evaluated on a pool of {@code maxConcurrent} threads;
 * closing the API stops it.
 */
public final class QuerierApi implements AutoCloseable {
  /** Where the API's routes live ({@code -http.prometheus-http-prefix} in Mimir). */
  public static final String PREFIX = "/prometheus/api/v1/";
  private static final String LABEL_VALUES_PREFIX = PREFIX + "label/";
  private static final String LABEL_VALUES_SUFFIX = "/values";
  private static final Set<HttpMethod> GET_POST = Set.of(HttpMethod.GET, HttpMethod.POST);
  private static final Set<HttpMethod> GET = Set.of(HttpMethod.GET);

  private final ExecutorService executor;

  private QuerierApi(ExecutorService executor) {
    this.executor = executor;
  }

  /**
   * Adds the API's routes.
   *
   * @param storage each tenant's series at a read consistency, e.g. the fan-out to the ingesters that hold them
   * @param metadata each tenant's metric metadata ({@link MetricMetadataSource#NONE} for none)
   */
  public static QuerierApi register(Routes routes, QuerierConfig config, TenantStorage storage,
      MetricMetadataSource metadata, BuildInfo buildInfo) {
    return register(routes, config, storage, metadata, buildInfo, Clock.systemUTC());
  }

  /** Over a storage that is always up to date (every consistency level reads the same). */
  public static QuerierApi register(Routes routes, QuerierConfig config, Function<String, Queryable> storage,
      MetricMetadataSource metadata, BuildInfo buildInfo) {
    return register(routes, config, (tenant, consistency) -> storage.apply(tenant), metadata, buildInfo);
  }

  /** As {@link #register(Routes, QuerierConfig, Function, MetricMetadataSource, BuildInfo)}, with the clock "now" is read from. */
  static QuerierApi register(Routes routes, QuerierConfig config, Function<String, Queryable> storage,
      MetricMetadataSource metadata, BuildInfo buildInfo, Clock clock) {
    return register(routes, config, (tenant, consistency) -> storage.apply(tenant), metadata, buildInfo, clock);
  }

  static QuerierApi register(Routes routes, QuerierConfig config, TenantStorage storage,
      MetricMetadataSource metadata, BuildInfo buildInfo, Clock clock) {
    ExecutorService executor = Executors.newFixedThreadPool(config.maxConcurrent(), threads());
    Tenants tenants = new Tenants(config.multitenancy());
    Function<String, ConsistencyLevel> consistency = config.readConsistency();
    QueryEndpoints queries = new QueryEndpoints(config.engineOptions(), storage, clock);
    SeriesEndpoints series = new SeriesEndpoints(storage);
    MetadataEndpoint metadataEndpoint = new MetadataEndpoint(metadata);
    ApiRoute labelValues = new ApiRoute("label_values", GET, tenants, consistency, executor,
        (request, tenant) -> series.labelValues(labelName(request.path()), request, tenant));
    routes
        .add(PREFIX + "query", new ApiRoute("query", GET_POST, tenants, consistency, executor, queries::query))
        .add(PREFIX + "query_range", new ApiRoute("query_range", GET_POST, tenants, consistency, executor, queries::queryRange))
        .add(PREFIX + "format_query", new ApiRoute("format_query", GET_POST, tenants, consistency, executor, queries::formatQuery))
        .add(PREFIX + "series", new ApiRoute("series", GET_POST, tenants, consistency, executor, series::series))
        .add(PREFIX + "labels", new ApiRoute("labels", GET_POST, tenants, consistency, executor, series::labelNames))
        .addPrefix(LABEL_VALUES_PREFIX, onlyLabelValuePaths(labelValues))
        .add(PREFIX + "metadata", new ApiRoute("metadata", GET, tenants, consistency, executor, metadataEndpoint::metadata))
        .add(PREFIX + "status/buildinfo", new ApiRoute("buildinfo", GET, tenants, consistency, executor,
            (request, tenant) -> json -> {
              json.writeStartObject();
              json.writeStringField("version", buildInfo.version());
              json.writeStringField("revision", buildInfo.revision());
              json.writeStringField("branch", buildInfo.branch());
              json.writeStringField("buildUser", buildInfo.buildUser());
              json.writeStringField("buildDate", buildInfo.buildDate());
              json.writeStringField("goVersion", buildInfo.goVersion());
              json.writeEndObject();
            }));
    return new QuerierApi(executor);
  }

  /** Answers 404 for paths under {@code label/} that are not {@code label/<name>/values}. */
  private static HttpHandler onlyLabelValuePaths(HttpHandler labelValues) {
    return request -> {
      String path = new QueryStringDecoder(request.uri()).path();
      if (labelName(path).isEmpty()) {
        return CompletableFuture.completedFuture(
            HttpResponses.text(HttpResponseStatus.NOT_FOUND, "no route for " + path + "\n"));
      }
      return labelValues.handle(request);
    };
  }

  /** The name in {@code .../label/<name>/values}, or "" when the path has another form. */
  private static String labelName(String path) {
    if (!path.startsWith(LABEL_VALUES_PREFIX) || !path.endsWith(LABEL_VALUES_SUFFIX)) {
      return "";
    }
    String name = path.substring(LABEL_VALUES_PREFIX.length(), Math.max(LABEL_VALUES_PREFIX.length(),
        path.length() - LABEL_VALUES_SUFFIX.length()));
    return name.contains("/") ? "" : name;
  }

  private static ThreadFactory threads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "querier-api-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
