package dev.runnel.querier.ingester;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.proto.prometheus.write.v2.BucketSpan;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import dev.runnel.querier.promql.model.SampleIterator;
import dev.runnel.querier.promql.model.SampleType;
import dev.runnel.querier.promql.value.FloatHistogram;
import org.junit.jupiter.api.Test;

class ProtoSeriesTest {
  @Test
  void mergesFloatsAndHistogramsByTimestampAndSkipsCustomBuckets() {
    Histogram integer = Histogram.newBuilder().setTimestamp(2000).setSchema(0).setZeroThreshold(0.5).setZeroCountInt(1)
        .setCountInt(6).setSum(9)
        .addPositiveSpans(BucketSpan.newBuilder().setOffset(1).setLength(2))
        .addNegativeSpans(BucketSpan.newBuilder().setOffset(0).setLength(1))
        .addPositiveDeltas(2).addPositiveDeltas(-1).addNegativeDeltas(2).build();
    Histogram floats = Histogram.newBuilder().setTimestamp(4000).setSchema(-1).setCountFloat(2.5).setSum(1)
        .addPositiveSpans(BucketSpan.newBuilder().setOffset(0).setLength(1)).addPositiveCounts(2.5).build();
    Histogram custom = Histogram.newBuilder().setTimestamp(3000).setSchema(-53).setCountInt(1).build();
    ProtoSeries series = new ProtoSeries(dev.runnel.proto.ingester.v1.Series.newBuilder()
        .addLabels("__name__").addLabels("m")
        .addTimestamps(1000).addValues(1).addTimestamps(5000).addValues(5)
        .addHistograms(integer).addHistograms(custom).addHistograms(floats).build());
    SampleIterator it = series.iterator();
    assertThat(it.next()).isEqualTo(SampleType.FLOAT);
    assertThat(it.timestamp()).isEqualTo(1000);
    assertThat(it.value()).isEqualTo(1);
    assertThat(it.next()).isEqualTo(SampleType.HISTOGRAM);
    assertThat(it.timestamp()).isEqualTo(2000);
    FloatHistogram h = it.histogram();
    assertThat(h.count()).isEqualTo(6);
    assertThat(h.zeroCount()).isEqualTo(1);
    assertThat(h.zeroThreshold()).isEqualTo(0.5);
    assertThat(h.positiveBucket(1)).isEqualTo(2);
    assertThat(h.positiveBucket(2)).isEqualTo(1);
    assertThat(h.negativeBucket(0)).isEqualTo(2);
    assertThat(it.next()).isEqualTo(SampleType.HISTOGRAM);
    assertThat(it.timestamp()).isEqualTo(4000);
    assertThat(it.histogram().schema()).isEqualTo(-1);
    assertThat(it.histogram().positiveBuckets()).containsExactly(2.5);
    assertThat(it.next()).isEqualTo(SampleType.FLOAT);
    assertThat(it.timestamp()).isEqualTo(5000);
    assertThat(it.next()).isEqualTo(SampleType.NONE);
  }
}
