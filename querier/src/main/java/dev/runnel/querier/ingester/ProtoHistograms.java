package dev.runnel.querier.ingester;

import dev.runnel.proto.prometheus.write.v2.BucketSpan;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import dev.runnel.querier.promql.value.FloatHistogram;
import java.util.List;

/** Converts the remote-write histograms the ingesters return into the engine's float histograms. */
final class ProtoHistograms {
  private ProtoHistograms() {}

  /** Whether the engine can evaluate this histogram: exponential schemas only (not custom buckets). */
  static boolean supported(Histogram h) {
    return h.getSchema() >= FloatHistogram.MIN_SCHEMA && h.getSchema() <= FloatHistogram.MAX_SCHEMA;
  }

  /**
   * The histogram with float counts: integer histograms carry their bucket counts as deltas
   * (the first absolute, each next one relative to the one before, across all spans of a side).
   *
   * @throws IllegalArgumentException when spans and counts do not fit together
   */
  static FloatHistogram toFloat(Histogram h) {
    boolean integer = h.hasCountInt();
    double count = integer ? h.getCountInt() : h.getCountFloat();
    double zeroCount = h.hasZeroCountInt() ? h.getZeroCountInt() : h.getZeroCountFloat();
    double[] positive = integer ? fromDeltas(h.getPositiveDeltasList()) : toArray(h.getPositiveCountsList());
    double[] negative = integer ? fromDeltas(h.getNegativeDeltasList()) : toArray(h.getNegativeCountsList());
    return new FloatHistogram(h.getSchema(), h.getZeroThreshold(), zeroCount, count, h.getSum(),
        spans(h.getPositiveSpansList()), positive, spans(h.getNegativeSpansList()), negative);
  }

  private static FloatHistogram.Span[] spans(List<BucketSpan> spans) {
    FloatHistogram.Span[] out = new FloatHistogram.Span[spans.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = new FloatHistogram.Span(spans.get(i).getOffset(), spans.get(i).getLength());
    }
    return out;
  }

  private static double[] fromDeltas(List<Long> deltas) {
    double[] out = new double[deltas.size()];
    long current = 0;
    for (int i = 0; i < out.length; i++) {
      current += deltas.get(i);
      out[i] = current;
    }
    return out;
  }

  private static double[] toArray(List<Double> counts) {
    double[] out = new double[counts.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = counts.get(i);
    }
    return out;
  }
}
