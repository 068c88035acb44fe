package dev.runnel.ingester.record;

import static dev.runnel.ingester.labels.LabelMatcher.equal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.ingester.chunk.SampleIterator;
import dev.runnel.ingester.chunk.ValueType;
import dev.runnel.ingester.head.DiscardReason;
import dev.runnel.ingester.head.HeadConfig;
import dev.runnel.ingester.head.TenantHead;
import dev.runnel.ingester.labels.Labels;
import dev.runnel.ingester.query.MetricMetadata;
import dev.runnel.ingester.query.SeriesSet;
import dev.runnel.proto.prometheus.write.v2.BucketSpan;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import dev.runnel.proto.prometheus.write.v2.Metadata;
import dev.runnel.proto.prometheus.write.v2.Request;
import dev.runnel.proto.prometheus.write.v2.Sample;
import dev.runnel.proto.prometheus.write.v2.TimeSeries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordDecoderTest {

    private static final long STALE_MARKER = 0x7ff0000000000002L;

    private final TenantHead head = new TenantHead("t", new HeadConfig(Duration.ofHours(2), Duration.ZERO, 100));
    private final RecordDecoder decoder = new RecordDecoder();

    /** symbols: "", __name__, up, job, api, db, help text, seconds */
    private static Request.Builder request() {
        return Request.newBuilder().addAllSymbols(List.of("", "__name__", "up", "job", "api", "db", "Whether it is up.", "seconds"));
    }

    private static byte[] record(Request request) {
        byte[] body = request.toByteArray();
        byte[] value = new byte[body.length + 1];
        value[0] = 1;
        System.arraycopy(body, 0, value, 1, body.length);
        return value;
    }

    @Test
    void appendsSamplesOfEverySeries() throws Exception {
        Request r = request()
                .addTimeseries(TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 2, 3, 4))
                        .addSamples(Sample.newBuilder().setTimestamp(1000).setValue(1.5))
                        .addSamples(Sample.newBuilder().setTimestamp(2000).setValue(Double.longBitsToDouble(STALE_MARKER))))
                .addTimeseries(TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 2, 3, 5))
                        .addSamples(Sample.newBuilder().setTimestamp(1000).setValue(-0.0)))
                .build();
        decoder.decode(record(r), head);

        SeriesSet set = head.querier().select(0, 10_000, List.of(equal("__name__", "up")));
        assertThat(set.next()).isTrue();
        assertThat(set.labels()).isEqualTo(Labels.of("__name__", "up", "job", "api"));
        SampleIterator it = set.samples();
        assertThat(it.next()).isEqualTo(ValueType.FLOAT);
        assertThat(it.value()).isEqualTo(1.5);
        assertThat(it.next()).isEqualTo(ValueType.FLOAT);
        assertThat(Double.doubleToRawLongBits(it.value())).isEqualTo(STALE_MARKER);
        assertThat(it.next()).isEqualTo(ValueType.NONE);
        assertThat(set.next()).isTrue();
        assertThat(set.labels()).isEqualTo(Labels.of("__name__", "up", "job", "db"));
        assertThat(set.next()).isFalse();
        assertThat(head.stats().samplesAppended()).isEqualTo(3);
    }

    @Test
    void readsRecordsOfManySeries() throws Exception {
        Request.Builder r = request();
        for (int i = 0; i < 100; i++) {
            r.addSymbols("pod-" + i);
            r.addTimeseries(TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 2, 3, 8 + i))
                    .addSamples(Sample.newBuilder().setTimestamp(1000).setValue(i))
                    .addSamples(Sample.newBuilder().setTimestamp(2000).setValue(i + 0.5)));
        }
        decoder.decode(record(r.build()), head);
        decoder.decode(record(r.build()), head);
        assertThat(head.stats().series()).isEqualTo(100);
        assertThat(head.stats().samplesAppended()).isEqualTo(200);
        SeriesSet set = head.querier().select(0, 10_000, List.of(equal("job", "pod-77")));
        assertThat(set.next()).isTrue();
        SampleIterator it = set.samples();
        assertThat(it.next()).isEqualTo(ValueType.FLOAT);
        assertThat(it.value()).isEqualTo(77);
        assertThat(it.next()).isEqualTo(ValueType.FLOAT);
        assertThat(it.value()).isEqualTo(77.5);
        assertThat(it.next()).isEqualTo(ValueType.NONE);
    }

    /**
     * Series sharing their label names (the decoder then skips sorting and takes the hash from the
     * symbols), one with its names unsorted and one with an empty value: all are the series the
     * head finds by their labels.
     */
    @Test
    void seriesAreTheOnesTheHeadFindsByLabels() throws Exception {
        Request r = request()
                .addTimeseries(TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 2, 3, 4))
                        .addSamples(Sample.newBuilder().setTimestamp(1000).setValue(1)))
                .addTimeseries(TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 2, 3, 5))
                        .addSamples(Sample.newBuilder().setTimestamp(1000).setValue(2)))
                .addTimeseries(TimeSeries.newBuilder().addAllLabelsRefs(List.of(3, 6, 1, 2))
                        .addSamples(Sample.newBuilder().setTimestamp(1000).setValue(3)))
                .addTimeseries(TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 7, 3, 0))
                        .addSamples(Sample.newBuilder().setTimestamp(1000).setValue(4)))
                .build();
        decoder.decode(record(r), head);
        assertThat(head.seriesCount()).isEqualTo(4);

        head.append(Labels.of("__name__", "up", "job", "api"), 2000, 1);
        head.append(Labels.of("__name__", "up", "job", "db"), 2000, 2);
        head.append(Labels.of("__name__", "up", "job", "Whether it is up."), 2000, 3);
        head.append(Labels.of("__name__", "seconds"), 2000, 4);
        assertThat(head.seriesCount()).isEqualTo(4);
        assertThat(head.samplesAppended()).isEqualTo(8);
    }

    @Test
    void readsASeriesWhoseFieldsComeInAnyOrderAndRecordsAtAnOffset() throws Exception {
        // Samples before labels, symbols after the series: legal protobuf, so readable.
        byte[] series = concat(
                TimeSeries.newBuilder().addSamples(Sample.newBuilder().setTimestamp(5).setValue(7)).build().toByteArray(),
                TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 2)).build().toByteArray());
        byte[] body = concat(
                Request.newBuilder().addTimeseries(TimeSeries.parseFrom(series)).build().toByteArray(),
                request().build().toByteArray());
        byte[] value = concat(new byte[] {9, 9, 1}, body);
        decoder.decode(value, 2, value.length - 2, head);
        assertThat(head.querier().labelValues("__name__", List.of())).containsExactly("up");
        assertThat(head.stats().samplesAppended()).isEqualTo(1);
    }

    @Test
    void keepsMetadataOfMetadataOnlySeries() throws Exception {
        Request r = request()
                .addTimeseries(TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 2))
                        .setMetadata(Metadata.newBuilder().setType(Metadata.MetricType.METRIC_TYPE_GAUGE).setHelpRef(6).setUnitRef(7)))
                .build();
        decoder.decode(record(r), head);
        assertThat(head.querier().metadata("up")).containsExactly(new MetricMetadata("up", "gauge", "Whether it is up.", "seconds"));
        assertThat(head.stats().series()).isZero();
    }

    @Test
    void appendsHistograms() throws Exception {
        Histogram h = Histogram.newBuilder().setCountInt(2).setSum(3).setSchema(1).setTimestamp(4000)
                .addPositiveSpans(BucketSpan.newBuilder().setLength(2)).addPositiveDeltas(1).addPositiveDeltas(0).build();
        Request r = request().addTimeseries(TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 2)).addHistograms(h)).build();
        decoder.decode(record(r), head);
        SeriesSet set = head.querier().select(0, 10_000, List.of(equal("__name__", "up")));
        assertThat(set.next()).isTrue();
        SampleIterator it = set.samples();
        assertThat(it.next()).isEqualTo(ValueType.HISTOGRAM);
        assertThat(it.timestamp()).isEqualTo(4000);
        assertThat(it.histogram()).isEqualTo(h);
    }

    @Test
    void rejectsHistogramsWhoseCountsDoNotMatchTheirSpans() {
        Histogram h = Histogram.newBuilder().setCountInt(2).setSum(3).setTimestamp(4000).addPositiveDeltas(1).addPositiveDeltas(0).build();
        Request r = request().addTimeseries(TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 2)).addHistograms(h)).build();
        assertThatThrownBy(() -> decoder.decode(record(r), head))
                .isInstanceOfSatisfying(UndecodableRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo(UndecodableRecordException.Reason.MALFORMED))
                .hasMessageContaining("2 positive bucket counts but its positive spans cover 0 buckets");
    }

    @Test
    void countsSamplesOverTheSeriesLimit() throws Exception {
        TenantHead small = new TenantHead("t", new HeadConfig(Duration.ofHours(2), Duration.ZERO, 1));
        Request r = request()
                .addTimeseries(TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 2, 3, 4)).addSamples(Sample.newBuilder().setTimestamp(1)))
                .addTimeseries(TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 2, 3, 5))
                        .addSamples(Sample.newBuilder().setTimestamp(1)).addSamples(Sample.newBuilder().setTimestamp(2)))
                .build();
        decoder.decode(record(r), small);
        assertThat(small.stats().discarded(DiscardReason.PER_USER_SERIES_LIMIT)).isEqualTo(2);
        assertThat(small.stats().samplesAppended()).isEqualTo(1);
    }

    @Test
    void rejectsUnknownVersions() {
        byte[] value = record(request().build());
        value[0] = 2;
        assertThatThrownBy(() -> decoder.decode(value, head))
                .isInstanceOfSatisfying(UndecodableRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo(UndecodableRecordException.Reason.UNKNOWN_VERSION))
                .hasMessage("record version 2 is unknown: this ingester reads version 1");
    }

    @Test
    void rejectsMalformedRecords() {
        List<byte[]> bad = new ArrayList<>();
        bad.add(new byte[0]);
        TimeSeries series = TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 2))
                .addSamples(Sample.newBuilder().setTimestamp(1).setValue(1)).build();
        byte[] good = record(request().addTimeseries(series).build());
        // Every cut inside the series (after its 1-byte tag), which is the record's last field.
        for (int cut = good.length - series.getSerializedSize() - 1; cut < good.length; cut++) {
            bad.add(Arrays.copyOf(good, cut));
        }
        bad.add(record(request().addTimeseries(TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 99))
                .addSamples(Sample.newBuilder())).build()));
        bad.add(record(request().addTimeseries(TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 2, 3))
                .addSamples(Sample.newBuilder())).build()));
        bad.add(record(request().addTimeseries(TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 2, 1, 4))
                .addSamples(Sample.newBuilder())).build()));
        bad.add(record(request().addTimeseries(TimeSeries.newBuilder().addSamples(Sample.newBuilder())).build()));
        bad.add(new byte[] {1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1});
        bad.add(new byte[] {1, 4 << 3 | 3});
        for (byte[] value : bad) {
            assertThatThrownBy(() -> decoder.decode(value, head))
                    .as("record %s", Arrays.toString(value))
                    .isInstanceOfSatisfying(UndecodableRecordException.class,
                            e -> assertThat(e.reason()).isEqualTo(UndecodableRecordException.Reason.MALFORMED));
        }
    }

    @Test
    void ignoresUnknownFields() throws Exception {
        byte[] body = concat(request().addTimeseries(TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 2))
                .addSamples(Sample.newBuilder().setTimestamp(1).setValue(1))).build().toByteArray(),
                new byte[] {14 << 3 | 2, 2, 7, 7, 15 << 3 | 5, 0, 0, 0, 0});
        decoder.decode(concat(new byte[] {1}, body), head);
        assertThat(head.stats().samplesAppended()).isEqualTo(1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
