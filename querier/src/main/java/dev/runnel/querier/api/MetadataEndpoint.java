package dev.runnel.querier.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code metadata}: {@code {"<metric>":[{"type":..,"help":..,"unit":..}]}}, each distinct entry
 * once, for at most {@code limit} metrics (in name order, where Prometheus takes them at random).
 */
final class MetadataEndpoint {
  private static final Pattern GO_INT = Pattern.compile("[+-]?\\d{1,10}");

  private final MetricMetadataSource source;

  MetadataEndpoint(MetricMetadataSource source) {
    this.source = source;
  }

  ApiJson.Data metadata(ApiRequest request, String tenant) throws ApiException {
    int limit = limit(request.value("limit"));
    Map<String, Set<MetricMetadata>> byMetric = new TreeMap<>();
    for (MetricMetadata m : source.metadata(tenant, request.value("metric"), request.consistency())) {
      byMetric.computeIfAbsent(m.metric(), k -> new LinkedHashSet<>()).add(m);
    }
    List<Map.Entry<String, Set<MetricMetadata>>> shown = new ArrayList<>(byMetric.entrySet());
    if (limit >= 0 && shown.size() > limit) {
      shown = shown.subList(0, limit);
    }
    List<Map.Entry<String, Set<MetricMetadata>>> result = shown;
    return json -> {
      json.writeStartObject();
      for (Map.Entry<String, Set<MetricMetadata>> e : result) {
        json.writeArrayFieldStart(e.getKey());
        for (MetricMetadata m : e.getValue()) {
          json.writeStartObject();
          json.writeStringField("type", m.type());
          json.writeStringField("help", m.help());
          json.writeStringField("unit", m.unit());
          json.writeEndObject();
        }
        json.writeEndArray();
      }
      json.writeEndObject();
    };
  }

  /** Go's {@code strconv.Atoi}; -1 (no limit) when absent. */
  private static int limit(String text) throws ApiException {
    if (text.isEmpty()) {
      return -1;
    }
    if (GO_INT.matcher(text).matches()) {
      long n = Long.parseLong(text);
      if (n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) {
        return (int) n;
      }
    }
    throw ApiException.badData("limit must be a number");
  }
}
