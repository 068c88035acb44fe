package dev.runnel.querier.api;

import dev.runnel.querier.promql.model.Labels;
import dev.runnel.querier.promql.model.Matcher;
import dev.runnel.querier.promql.model.SampleType;
import dev.runnel.querier.promql.model.Series;
import dev.runnel.querier.promql.model.Strings;
import dev.runnel.querier.promql.storage.Querier;
import dev.runnel.querier.promql.storage.Queryable;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code series}, {@code labels} and {@code label/<name>/values}: what series exist, read with
 * the storage's querier over {@code [start, end]} (all time by default).
 */
final class SeriesEndpoints {
  private final TenantStorage storage;

  SeriesEndpoints(TenantStorage storage) {
    this.storage = storage;
  }

  /** The label sets of the series matching any {@code match[]} with samples in the range. */
  ApiJson.Data series(ApiRequest request, String tenant) throws ApiException {
    if (request.values("match[]").isEmpty()) {
      throw ApiException.badData("no match[] parameter provided");
    }
    long start = Params.time(request, "start", Params.MIN_TIME);
    long end = Params.time(request, "end", Params.MAX_TIME);
    List<List<Matcher>> matcherSets = Params.matcherSets(request);
    TreeSet<Labels> found = new TreeSet<>();
    try (Querier querier = storage.queryable(tenant, request.consistency()).querier(start, end)) {
      for (List<Matcher> matchers : matcherSets) {
        for (Series series : querier.select(start, end, matchers)) {
          if (series.iterator().next() != SampleType.NONE) {
            found.add(series.labels());
          }
        }
      }
    }
    return json -> {
      json.writeStartArray();
      for (Labels labels : found) {
        ValueJson.labels(json, labels);
      }
      json.writeEndArray();
    };
  }

  /** The sorted label names of the series matching any {@code match[]}, or of all series. */
  ApiJson.Data labelNames(ApiRequest request, String tenant) throws ApiException {
    return labels(request, tenant, (querier, matchers) -> querier.labelNames(matchers));
  }

  /** The sorted values of one label; {@code name} is the path parameter. */
  ApiJson.Data labelValues(String name, ApiRequest request, String tenant) throws ApiException {
    if (!Strings.isValidLabelName(name)) {
      throw ApiException.badData("invalid label name: " + Strings.quote(name));
    }
    return labels(request, tenant, (querier, matchers) -> querier.labelValues(name, matchers));
  }

  private interface LabelRead {
    Collection<String> read(Querier querier, List<Matcher> matchers);
  }

  private ApiJson.Data labels(ApiRequest request, String tenant, LabelRead read) throws ApiException {
    long start = Params.time(request, "start", Params.MIN_TIME);
    long end = Params.time(request, "end", Params.MAX_TIME);
    List<List<Matcher>> matcherSets = Params.matcherSets(request);
    TreeSet<String> found = new TreeSet<>();
    try (Querier querier = storage.queryable(tenant, request.consistency()).querier(start, end)) {
      if (matcherSets.isEmpty()) {
        found.addAll(read.read(querier, List.of()));
      }
      for (List<Matcher> matchers : matcherSets) {
        found.addAll(read.read(querier, matchers));
      }
    }
    return json -> {
      json.writeStartArray();
      for (String s : found) {
        json.writeString(s);
      }
      json.writeEndArray();
    };
  }
}
