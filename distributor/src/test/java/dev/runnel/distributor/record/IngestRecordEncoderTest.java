package dev.runnel.distributor.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.runnel.distributor.remotewrite.RemoteWrite1Decoder;
import dev.runnel.distributor.write.Exemplar;
import dev.runnel.distributor.write.MetricMetadata;
import dev.runnel.distributor.write.WriteBatch;
import dev.runnel.proto.prometheus.Label;
import dev.runnel.proto.prometheus.TimeSeries;
import dev.runnel.proto.prometheus.WriteRequest;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import dev.runnel.proto.prometheus.write.v2.Request;
import dev.runnel.proto.prometheus.write.v2.Sample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class IngestRecordEncoderTest {

    @Test
    void remoteWrite1SeriesComeOutOfTheRecordUnchanged() throws Exception {
        WriteRequest request = WriteRequest.newBuilder()
                .addTimeseries(series(Map.of("__name__", "up", "job", "api", "instance", "a:1"), 1000, 1.5, 2000, Double.NaN))
                .addTimeseries(series(Map.of("__name__", "up", "job", "api", "instance", "b:1"), 1000, 0))
                .addTimeseries(TimeSeries.newBuilder().addLabels(label("__name__", "h"))
                        .addHistograms(Histogram.newBuilder().setCountInt(3).setSum(4.5).setSchema(1).setTimestamp(5))
                        .addExemplars(dev.runnel.proto.prometheus.Exemplar.newBuilder()
                                .addLabels(label("trace_id", "abc")).setValue(2).setTimestamp(5)))
                .build();
        WriteBatch batch = RemoteWrite1Decoder.decode(request.toByteArray());
        List<byte[]> records = new IngestRecordEncoder(1 << 20).encode(batch, new int[] {0, 1, 2}, 3,
                List.of(new MetricMetadata("up", MetricMetadata.Type.GAUGE, "Is it up.", "")));

        assertThat(records).hasSize(1);
        Request decoded = decode(records.get(0));
        assertThat(decoded.getSymbols(0)).isEmpty();
        assertThat(labels(decoded, 0)).containsExactly("__name__", "up", "instance", "a:1", "job", "api");
        assertThat(decoded.getTimeseries(0).getSamplesList()).extracting(Sample::getTimestamp).containsExactly(1000L, 2000L);
        assertThat(decoded.getTimeseries(0).getSamples(1).getValue()).isNaN();
        assertThat(labels(decoded, 1)).containsExactly("__name__", "up", "instance", "b:1", "job", "api");
        assertThat(decoded.getTimeseries(2).getHistograms(0).getSum()).isEqualTo(4.5);
        assertThat(decoded.getTimeseries(2).getExemplars(0).getValue()).isEqualTo(2.0);
        assertThat(decoded.getSymbols(decoded.getTimeseries(2).getExemplars(0).getLabelsRefs(1))).isEqualTo("abc");
        assertThat(labels(decoded, 3)).containsExactly("__name__", "up");
        assertThat(decoded.getTimeseries(3).getSamplesCount()).isZero();
        assertThat(decoded.getSymbols(decoded.getTimeseries(3).getMetadata().getHelpRef())).isEqualTo("Is it up.");
        assertThat(decoded.getSymbolsList()).doesNotHaveDuplicates();
    }

    @Test
    void droppedSeriesAndSamplesAreLeftOut() throws Exception {
        WriteBatch batch = RemoteWrite1Decoder.decode(WriteRequest.newBuilder()
                .addTimeseries(series(Map.of("__name__", "a"), 1, 1, 2, 2))
                .addTimeseries(series(Map.of("__name__", "b"), 1, 1))
                .addTimeseries(series(Map.of("__name__", "c"), 1, 1))
                .build().toByteArray());
        batch.dropSample(batch.sampleStart(0));
        batch.dropSeries(1);
        batch.dropSample(batch.sampleStart(2));

        Request decoded = decode(new IngestRecordEncoder(1 << 20).encode(batch, new int[] {0, 1, 2}, 3, List.of()).get(0));

        assertThat(decoded.getTimeseriesCount()).isEqualTo(1);
        assertThat(decoded.getTimeseries(0).getSamplesList()).extracting(Sample::getTimestamp).containsExactly(2L);
    }

    @Test
    void recordsAreSplitBelowTheMaximumAndKeepEverySeries() throws Exception {
        WriteRequest.Builder request = WriteRequest.newBuilder();
        IntStream.range(0, 500).forEach(i -> request.addTimeseries(
                series(Map.of("__name__", "m", "pod", "pod-" + i), i, i)));
        WriteBatch batch = RemoteWrite1Decoder.decode(request.build().toByteArray());
        int max = 1000;

        List<byte[]> records = new IngestRecordEncoder(max).encode(batch, IntStream.range(0, 500).toArray(), 500, List.of());

        assertThat(records).hasSizeGreaterThan(5).allSatisfy(r -> assertThat(r.length).isLessThanOrEqualTo(max));
        List<String> pods = new ArrayList<>();
        for (byte[] r : records) {
            Request decoded = decode(r);
            for (int s = 0; s < decoded.getTimeseriesCount(); s++) {
                pods.add(labels(decoded, s).get(3));
            }
        }
        assertThat(pods).containsExactlyElementsOf(IntStream.range(0, 500).mapToObj(i -> "pod-" + i).toList());
    }

    @Test
    void aSeriesLargerThanARecordIsAnError() throws Exception {
        WriteBatch batch = RemoteWrite1Decoder.decode(WriteRequest.newBuilder()
                .addTimeseries(series(Map.of("__name__", "m", "big", "x".repeat(500)), 1, 1)).build().toByteArray());

        assertThatThrownBy(() -> new IngestRecordEncoder(200).encode(batch, new int[] {0}, 1, List.of()))
                .isInstanceOf(RecordTooLargeException.class).hasMessageContaining("m{big=");
    }

    @Test
    void removedLabelsAreLeftOutAndTheOthersKeepTheirOrder() throws Exception {
        WriteBatch batch = RemoteWrite1Decoder.decode(WriteRequest.newBuilder()
                .addTimeseries(series(Map.of("__name__", "up", "__replica__", "r1", "cluster", "c", "job", "api"), 1, 1))
                .addTimeseries(series(Map.of("__name__", "up", "__replica__", "r1", "zone", "z"), 1, 1))
                .build().toByteArray());
        batch.removeLabel(0, batch.labelIndex(0, "__replica__".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        batch.removeLabel(1, batch.firstLabel(1) + 2); // zone, the last one

        Request decoded = decode(new IngestRecordEncoder(1 << 20).encode(batch, new int[] {0, 1}, 2, List.of()).get(0));

        assertThat(labels(decoded, 0)).containsExactly("__name__", "up", "cluster", "c", "job", "api");
        assertThat(labels(decoded, 1)).containsExactly("__name__", "up", "__replica__", "r1");
        assertThat(decoded.getSymbolsList()).doesNotContain("zone", "z");
        assertThat(batch.describe(0)).isEqualTo("up{cluster=\"c\", job=\"api\"}");
    }

    @Test
    void exemplarLabelsAreSymbolsToo() throws Exception {
        WriteBatch batch = WriteBatch.builder().startSeries().label("__name__", "m").sample(1, 1)
                .exemplar(new Exemplar(List.of("trace_id", "t1"), 3, 1)).endSeries().build();
        Request decoded = decode(new IngestRecordEncoder(1 << 20).encode(batch, new int[] {0}, 1, List.of()).get(0));
        assertThat(decoded.getTimeseries(0).getExemplars(0).getLabelsRefsList())
                .extracting(decoded::getSymbols).containsExactly("trace_id", "t1");
    }

    static Request decode(byte[] record) throws InvalidProtocolBufferException {
        assertThat(record[0]).isEqualTo(IngestRecordEncoder.FORMAT_VERSION);
        return Request.parseFrom(java.util.Arrays.copyOfRange(record, 1, record.length));
    }

    static List<String> labels(Request request, int series) {
        return request.getTimeseries(series).getLabelsRefsList().stream().map(request::getSymbols).toList();
    }

    static TimeSeries series(Map<String, String> labels, double... timestampValuePairs) {
        TimeSeries.Builder ts = TimeSeries.newBuilder();
        new LinkedHashMap<>(labels).forEach((n, v) -> ts.addLabels(label(n, v)));
        for (int i = 0; i < timestampValuePairs.length; i += 2) {
            ts.addSamples(Sample.newBuilder().setTimestamp((long) timestampValuePairs[i]).setValue(timestampValuePairs[i + 1]));
        }
        return ts.build();
    }

    static Label label(String name, String value) {
        return Label.newBuilder().setName(name).setValue(value).build();
    }
}
