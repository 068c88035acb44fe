package dev.runnel.querier.api;

import dev.runnel.querier.promql.engine.Engine;
import dev.runnel.querier.promql.engine.EngineOptions;
import dev.runnel.querier.promql.engine.Query;
import dev.runnel.querier.promql.parser.ParseException;
import dev.runnel.querier.promql.parser.Parser;
import dev.runnel.querier.promql.value.Value;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;

/** {@code query}, {@code query_range} and {@code format_query}, with Prometheus' checks and messages. */
final class QueryEndpoints {
  /** Prometheus' limit on the points of one series of a range query. */
  static final int MAX_POINTS = 11_000;

  private final Engine engine;
  private final TenantStorage storage;
  private final Clock clock;

  QueryEndpoints(EngineOptions options, TenantStorage storage, Clock clock) {
    this.engine = new Engine(options);
    this.storage = storage;
    this.clock = clock;
  }

  ApiJson.Data query(ApiRequest request, String tenant) throws ApiException {
    long time = Params.time(request, "time", clock.millis());
    Engine engine = engineFor(request);
    Query query;
    try {
      query = engine.instantQuery(storage.queryable(tenant, request.consistency()), request.value("query"), time);
    } catch (ParseException e) {
      throw ApiException.invalidParameter("query", e.getMessage());
    }
    return execute(query);
  }

  ApiJson.Data queryRange(ApiRequest request, String tenant) throws ApiException {
    long start = Params.requiredTime(request, "start");
    long end = Params.requiredTime(request, "end");
    if (end < start) {
      throw ApiException.invalidParameter("end", "end timestamp must not be before start time");
    }
    long stepNanos = Params.durationNanos(request, "step");
    if (stepNanos <= 0) {
      throw ApiException.invalidParameter("step",
          "zero or negative query resolution step widths are not accepted. Try a positive integer");
    }
    BigInteger rangeNanos = BigInteger.valueOf(end).subtract(BigInteger.valueOf(start)).multiply(BigInteger.valueOf(1_000_000));
    if (rangeNanos.divide(BigInteger.valueOf(stepNanos)).compareTo(BigInteger.valueOf(MAX_POINTS)) > 0) {
      throw ApiException.badData("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)");
    }
    if (stepNanos < 1_000_000) {
      // Prometheus evaluates in milliseconds too, and loops forever on such a step.
      throw ApiException.invalidParameter("step", "query resolution step widths below 1ms are not accepted");
    }
    Engine engine = engineFor(request);
    Query query;
    try {
      query = engine.rangeQuery(storage.queryable(tenant, request.consistency()), request.value("query"), start, end, stepNanos / 1_000_000);
    } catch (ParseException e) {
      throw ApiException.invalidParameter("query", e.getMessage());
    } catch (IllegalArgumentException e) {
      // The expression is neither a scalar nor an instant vector: Prometheus names no parameter.
      throw ApiException.badData(e.getMessage());
    }
    return execute(query);
  }

  ApiJson.Data formatQuery(ApiRequest request, String tenant) throws ApiException {
    String formatted;
    try {
      formatted = Parser.parse(request.value("query")).toString();
    } catch (ParseException e) {
      throw ApiException.invalidParameter("query", e.getMessage());
    }
    return json -> json.writeString(formatted);
  }

  /** The engine for a request: the configured one, or one with the request's shorter timeout. */
  private Engine engineFor(ApiRequest request) throws ApiException {
    if (request.value("timeout").isEmpty()) {
      return engine;
    }
    EngineOptions options = engine.options();
    // A timeout of zero or less has expired already: the shortest one the engine takes.
    Duration requested = Duration.ofNanos(Math.max(1, Params.durationNanos(request, "timeout")));
    if (requested.compareTo(options.timeout()) >= 0) {
      return engine;
    }
    return new Engine(options.withTimeout(requested, options.nanoClock()));
  }

  private static ApiJson.Data execute(Query query) {
    Value value = query.execute();
    ValueJson writer = new ValueJson();
    return json -> writer.write(json, value);
  }
}
