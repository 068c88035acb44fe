package dev.runnel.querier.promql.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.querier.promql.model.StaleMarker;
import dev.runnel.querier.promql.value.FloatHistogram.Bucket;
import dev.runnel.querier.promql.value.FloatHistogram.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

class FloatHistogramTest {
  private static final Span[] NONE = new Span[0];
  private static final double[] EMPTY = new double[0];

  /** Schema 0, zero bucket of width 0.001 holding 1, positive buckets from index 0. */
  private static FloatHistogram positive(double sum, double... buckets) {
    double count = 1;
    for (double b : buckets) {
      count += b;
    }
    return new FloatHistogram(0, 0.001, 1, count, sum, new Span[] {new Span(0, buckets.length)}, buckets, NONE, EMPTY);
  }

  @Test
  void spansRoundTripWithGaps() {
    Span[] spans = {new Span(-2, 2), new Span(3, 1), new Span(0, 2)};
    FloatHistogram h = new FloatHistogram(3, 0, 0, 15, 1, spans, new double[] {1, 2, 3, 4, 5}, NONE, EMPTY);
    // Adjacent spans come back merged.
    assertThat(h.positiveSpans()).containsExactly(new Span(-2, 2), new Span(3, 3));
    assertThat(h.positiveBucket(-2)).isEqualTo(1);
    assertThat(h.positiveBucket(-1)).isEqualTo(2);
    assertThat(h.positiveBucket(0)).isZero();
    assertThat(h.positiveBucket(3)).isEqualTo(3);
    assertThat(h.positiveBucket(4)).isEqualTo(4);
    assertThat(h.positiveBucket(5)).isEqualTo(5);
  }

  @Test
  void rejectsBadShapes() {
    assertThatThrownBy(() -> new FloatHistogram(9, 0, 0, 0, 0, NONE, EMPTY, NONE, EMPTY))
        .hasMessage("histogram schema must be between -4 and 8, got 9");
    assertThatThrownBy(() -> new FloatHistogram(0, -1, 0, 0, 0, NONE, EMPTY, NONE, EMPTY))
        .hasMessage("histogram zero threshold must be finite and not negative, got -1.0");
    assertThatThrownBy(() -> new FloatHistogram(0, 0, 0, 0, 0, new Span[] {new Span(0, 2)}, new double[] {1}, NONE, EMPTY))
        .hasMessage("spans cover 2 buckets but 1 counts were given");
  }

  @Test
  void boundsArePowersOfTheBase() {
    assertThat(FloatHistogram.bound(0, 0)).isEqualTo(1);
    assertThat(FloatHistogram.bound(3, 0)).isEqualTo(8);
    assertThat(FloatHistogram.bound(-2, 0)).isEqualTo(0.25);
    assertThat(FloatHistogram.bound(1, -2)).isEqualTo(16);
    assertThat(FloatHistogram.bound(2, 1)).isEqualTo(2);
    assertThat(FloatHistogram.bound(1, 1)).isCloseTo(Math.sqrt(2), org.assertj.core.data.Offset.offset(1e-15));
    assertThat(FloatHistogram.bound(-3, 3)).isCloseTo(Math.pow(2, -3 / 8.0), org.assertj.core.data.Offset.offset(1e-15));
  }

  @Test
  void scalesAndDivides() {
    FloatHistogram h = positive(10, 1, 2);
    FloatHistogram twice = h.times(2);
    assertThat(twice.count()).isEqualTo(8);
    assertThat(twice.sum()).isEqualTo(20);
    assertThat(twice.zeroCount()).isEqualTo(2);
    assertThat(twice.positiveBuckets()).containsExactly(2, 4);
    assertThat(twice.dividedBy(2)).isEqualTo(h);
  }

  @Test
  void addsAtTheLowerSchema() {
    FloatHistogram fine = new FloatHistogram(1, 0, 0, 3, 4, new Span[] {new Span(0, 3)}, new double[] {1, 1, 1}, NONE, EMPTY);
    FloatHistogram coarse = positive(10, 1, 2);
    FloatHistogram sum = coarse.plus(fine);
    assertThat(sum).isEqualTo(fine.plus(coarse));
    assertThat(sum.schema()).isZero();
    assertThat(sum.count()).isEqualTo(7);
    assertThat(sum.sum()).isEqualTo(14);
    // Schema 1 buckets 0 | 1, 2 fall into schema 0 buckets 0 | 1.
    assertThat(sum.positiveBuckets()).containsExactly(2, 4);
    assertThat(sum.zeroThreshold()).isEqualTo(0.001);
    assertThat(sum.zeroCount()).isEqualTo(1);
  }

  @Test
  void reducesNegativeIndexesTowardsTheirWiderBucket() {
    FloatHistogram h = new FloatHistogram(2, 0, 0, 4, 1, new Span[] {new Span(-4, 4)}, new double[] {1, 1, 1, 1}, NONE, EMPTY);
    // Schema 2 bucket -4 is (2^-5/4, 2^-1], inside schema 0's (0.25, 0.5] (index -1); buckets
    // -3..-1 cover (2^-1, 2^-1/4], inside (0.5, 1] (index 0).
    FloatHistogram reduced = h.toSchema(0);
    assertThat(reduced.positiveSpans()).containsExactly(new Span(-1, 2));
    assertThat(reduced.positiveBucket(-1)).isEqualTo(1);
    assertThat(reduced.positiveBucket(0)).isEqualTo(3);
    assertThatThrownBy(() -> reduced.toSchema(1)).hasMessageContaining("cannot raise");
  }

  @Test
  void widensTheZeroBucketPastAPopulatedBucket() {
    FloatHistogram narrow = positive(10, 1, 2);
    FloatHistogram wide = new FloatHistogram(0, 0.6, 1, 3, 3, new Span[] {new Span(0, 1)}, new double[] {2}, NONE, EMPTY);
    FloatHistogram sum = narrow.plus(wide);
    // 0.6 lies inside the populated (0.5, 1], so the threshold grows to 1 and swallows it.
    assertThat(sum.zeroThreshold()).isEqualTo(1);
    assertThat(sum.zeroCount()).isEqualTo(5);
    assertThat(sum.positiveSpans()).containsExactly(new Span(1, 1));
    assertThat(sum.positiveBuckets()).containsExactly(2);
    assertThat(sum.count()).isEqualTo(7);
  }

  @Test
  void subtractsAndCompacts() {
    FloatHistogram a = positive(10, 1, 2);
    FloatHistogram d = a.times(3).minus(a);
    assertThat(d).isEqualTo(a.times(2));
    FloatHistogram zero = a.minus(a);
    assertThat(zero.positiveBuckets()).containsExactly(0, 0);
    assertThat(zero.compact().positiveSpans()).isEmpty();
    assertThat(zero.compact().count()).isZero();
  }

  @Test
  void detectsCounterResets() {
    FloatHistogram a = positive(10, 1, 2);
    assertThat(a.times(2).detectReset(a)).isFalse();
    assertThat(a.detectReset(a)).isFalse();
    assertThat(a.detectReset(a.times(2))).as("count went down").isTrue();
    // Same count, but one bucket lost what another gained.
    FloatHistogram moved = positive(10, 0, 3);
    assertThat(moved.detectReset(a)).isTrue();
    // A finer schema than before is a reset; a coarser one compares at its resolution.
    FloatHistogram fine = new FloatHistogram(1, 0.001, 1, 4, 10, new Span[] {new Span(0, 3)}, new double[] {1, 1, 1}, NONE, EMPTY);
    assertThat(fine.detectReset(a)).isTrue();
    assertThat(a.times(2).detectReset(fine)).isFalse();
    // A narrower zero bucket is a reset.
    FloatHistogram narrower = new FloatHistogram(0, 0.0001, 2, 8, 20, new Span[] {new Span(0, 2)}, new double[] {2, 4}, NONE, EMPTY);
    assertThat(narrower.detectReset(a)).isTrue();
    // An empty bucket that disappears is not a reset.
    FloatHistogram withEmpty = new FloatHistogram(0, 0.001, 1, 4, 10, new Span[] {new Span(0, 3)}, new double[] {1, 2, 0}, NONE, EMPTY);
    assertThat(a.detectReset(withEmpty)).isFalse();
  }

  @Test
  void listsBucketsFromLowestToHighest() {
    FloatHistogram h = new FloatHistogram(0, 0.001, 1, 6, 0, new Span[] {new Span(0, 1)}, new double[] {2},
        new Span[] {new Span(0, 2)}, new double[] {1, 2});
    List<Bucket> buckets = h.allBuckets();
    assertThat(buckets).containsExactly(
        new Bucket(-2, -1, true, false, 2),
        new Bucket(-1, -0.5, true, false, 1),
        new Bucket(-0.001, 0.001, true, true, 1),
        new Bucket(0.5, 1, false, true, 2));
  }

  @Test
  void staleWhenTheSumIsTheStaleMarker() {
    assertThat(positive(StaleMarker.VALUE).isStale()).isTrue();
    assertThat(positive(Double.NaN).isStale()).isFalse();
  }
}
