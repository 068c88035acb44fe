package dev.runnel.querier.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.runnel.querier.promql.model.Labels;
import dev.runnel.querier.promql.parser.GoFloats;
import dev.runnel.querier.promql.value.FloatHistogram;
import dev.runnel.querier.promql.value.Matrix;
import dev.runnel.querier.promql.value.RangeSeries;
import dev.runnel.querier.promql.value.Sample;
import dev.runnel.querier.promql.value.Scalar;
import dev.runnel.querier.promql.value.StringValue;
import dev.runnel.querier.promql.value.Value;
import dev.runnel.querier.promql.value.Vector;
import java.io.IOException;

/**
 * Query results in Prometheus' JSON: {@code {"resultType":"vector","result":[...]}}. A point of a
 * vector or matrix is {@code [<unix seconds>, "<value>"]}: the time with all three millisecond
 * digits once it has any ({@code 1.500}, not {@code 1.5}), the value as Go formats it, with an
 * exponent below 1e-6 and from 1e21, as Prometheus' marshaller does. Scalar and string results
 * go through another marshaller in Prometheus, whose times drop trailing zeros ({@code 1.5}) and
 * whose values never take an exponent.
 */
final class ValueJson {
  private final char[] timestamp = new char[24];

  /** Writes the {@code data} object of a query answer. */
  void write(JsonGenerator json, Value value) throws IOException {
    json.writeStartObject();
    if (value instanceof Vector v) {
      json.writeStringField("resultType", "vector");
      json.writeArrayFieldStart("result");
      for (Sample s : v.samples()) {
        json.writeStartObject();
        metric(json, s.labels());
        if (s.isHistogram()) {
          json.writeFieldName("histogram");
          histogramPoint(json, s.timestampMillis(), s.histogram());
        } else {
          json.writeFieldName("value");
          point(json, s.timestampMillis(), s.value());
        }
        json.writeEndObject();
      }
      json.writeEndArray();
    } else if (value instanceof Matrix m) {
      json.writeStringField("resultType", "matrix");
      json.writeArrayFieldStart("result");
      for (RangeSeries s : m.series()) {
        json.writeStartObject();
        metric(json, s.labels());
        int histograms = 0;
        for (int i = 0; i < s.size(); i++) {
          histograms += s.histogram(i) == null ? 0 : 1;
        }
        if (histograms < s.size()) {
          json.writeArrayFieldStart("values");
          for (int i = 0; i < s.size(); i++) {
            if (s.histogram(i) == null) {
              point(json, s.timestamp(i), s.value(i));
            }
          }
          json.writeEndArray();
        }
        if (histograms > 0) {
          json.writeArrayFieldStart("histograms");
          for (int i = 0; i < s.size(); i++) {
            if (s.histogram(i) != null) {
              histogramPoint(json, s.timestamp(i), s.histogram(i));
            }
          }
          json.writeEndArray();
        }
        json.writeEndObject();
      }
      json.writeEndArray();
    } else if (value instanceof Scalar s) {
      json.writeStringField("resultType", "scalar");
      json.writeFieldName("result");
      json.writeStartArray();
      json.writeNumber(seconds(s.timestampMillis()));
      json.writeString(GoFloats.formatF(s.value()));
      json.writeEndArray();
    } else {
      StringValue s = (StringValue) value;
      json.writeStringField("resultType", "string");
      json.writeFieldName("result");
      json.writeStartArray();
      json.writeNumber(seconds(s.timestampMillis()));
      json.writeString(s.value());
      json.writeEndArray();
    }
    json.writeEndObject();
  }

  /** A label set as an object, in label order. */
  static void labels(JsonGenerator json, Labels labels) throws IOException {
    json.writeStartObject();
    for (int i = 0; i < labels.size(); i++) {
      json.writeStringField(labels.name(i), labels.value(i));
    }
    json.writeEndObject();
  }

  private static void metric(JsonGenerator json, Labels labels) throws IOException {
    json.writeFieldName("metric");
    labels(json, labels);
  }

  private void point(JsonGenerator json, long millis, double value) throws IOException {
    json.writeStartArray();
    timestamp(json, millis);
    json.writeString(formatValue(value));
    json.writeEndArray();
  }

  /**
   * {@code [<time>, {"count": "<n>", "sum": "<s>", "buckets": [[<boundaries>, "<lower>",
   * "<upper>", "<count>"], ...]}]}: buckets from the lowest values up, empty ones left out (and
   * {@code buckets} with them when all are). Boundaries say which bounds a bucket includes: 0
   * the upper (positive buckets), 1 the lower (negative ones), 2 neither, 3 both (zero bucket).
   */
  private void histogramPoint(JsonGenerator json, long millis, FloatHistogram h) throws IOException {
    json.writeStartArray();
    timestamp(json, millis);
    json.writeStartObject();
    json.writeStringField("count", formatValue(h.count()));
    json.writeStringField("sum", formatValue(h.sum()));
    boolean any = false;
    for (FloatHistogram.Bucket b : h.allBuckets()) {
      if (b.count() == 0) {
        continue;
      }
      if (!any) {
        json.writeArrayFieldStart("buckets");
        any = true;
      }
      json.writeStartArray();
      json.writeNumber(b.lowerInclusive() ? (b.upperInclusive() ? 3 : 1) : (b.upperInclusive() ? 0 : 2));
      json.writeString(formatValue(b.lower()));
      json.writeString(formatValue(b.upper()));
      json.writeString(formatValue(b.count()));
      json.writeEndArray();
    }
    if (any) {
      json.writeEndArray();
    }
    json.writeEndObject();
    json.writeEndArray();
  }

  private void timestamp(JsonGenerator json, long millis) throws IOException {
    int n = 0;
    long t = millis;
    if (t < 0) {
      timestamp[n++] = '-';
      t = -t;
    }
    String seconds = Long.toString(t / 1000);
    seconds.getChars(0, seconds.length(), timestamp, n);
    n += seconds.length();
    int fraction = (int) (t % 1000);
    if (fraction != 0) {
      timestamp[n++] = '.';
      timestamp[n++] = (char) ('0' + fraction / 100);
      timestamp[n++] = (char) ('0' + fraction / 10 % 10);
      timestamp[n++] = (char) ('0' + fraction % 10);
    }
    json.writeNumber(timestamp, 0, n);
  }

  /**
   * The time of a scalar or string result. Prometheus marshals those through Go's
   * {@code encoding/json} as the float {@code t/1000}, so without trailing zeros ({@code 1.5}).
   */
  private static String seconds(long millis) {
    return GoFloats.formatF(millis / 1000.0);
  }

  static String formatValue(double v) {
    double abs = Math.abs(v);
    return abs != 0 && (abs < 1e-6 || abs >= 1e21) ? GoFloats.formatE(v) : GoFloats.formatF(v);
  }
}
