package dev.runnel.distributor.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.runnel.distributor.write.MetricMetadata;
import dev.runnel.distributor.write.WriteBatch;
import dev.runnel.proto.prometheus.Label;
import dev.runnel.proto.prometheus.MetricMetadata.MetricType;
import dev.runnel.proto.prometheus.TimeSeries;
import dev.runnel.proto.prometheus.WriteRequest;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import dev.runnel.proto.prometheus.write.v2.Metadata;
import dev.runnel.proto.prometheus.write.v2.Request;
import dev.runnel.proto.prometheus.write.v2.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteWriteDecoderTest {

    private static final long STALE_NAN_BITS = 0x7ff0000000000002L;

    @Test
    void remoteWrite1LabelsSamplesAndMetadata() throws Exception {
        WriteRequest request = WriteRequest.newBuilder()
                .addTimeseries(TimeSeries.newBuilder()
                        .addLabels(label("job", "api")).addLabels(label("__name__", "up")).addLabels(label("zone", "é"))
                        .addSamples(sample(10, 1)).addSamples(sample(20, Double.longBitsToDouble(STALE_NAN_BITS)))
                        .addSamples(sample(30, Double.POSITIVE_INFINITY)))
                .addMetadata(dev.runnel.proto.prometheus.MetricMetadata.newBuilder()
                        .setMetricFamilyName("up").setType(MetricType.GAUGE).setHelp("h").setUnit("u"))
                .build();

        WriteBatch batch = RemoteWrite1Decoder.decode(request.toByteArray());

        assertThat(batch.seriesCount()).isEqualTo(1);
        assertThat(labels(batch, 0)).containsExactly("__name__", "up", "job", "api", "zone", "é");
        assertThat(batch.describe(0)).isEqualTo("up{job=\"api\", zone=\"é\"}");
        assertThat(batch.sampleEnd(0) - batch.sampleStart(0)).isEqualTo(3);
        assertThat(Double.doubleToRawLongBits(batch.value(1))).isEqualTo(STALE_NAN_BITS);
        assertThat(batch.value(2)).isInfinite();
        assertThat(batch.timestamp(2)).isEqualTo(30);
        assertThat(batch.metadata()).containsExactly(new MetricMetadata("up", MetricMetadata.Type.GAUGE, "h", "u"));
        assertThat(batch.totalSamples()).isEqualTo(3);
    }

    @Test
    void remoteWrite2ResolvesSymbolsWhereverTheyAre() throws Exception {
        Request request = Request.newBuilder()
                .addAllSymbols(List.of("", "__name__", "rpc_seconds", "job", "api", "help text", "trace_id", "t"))
                .addTimeseries(dev.runnel.proto.prometheus.write.v2.TimeSeries.newBuilder()
                        .addAllLabelsRefs(List.of(3, 4, 1, 2))
                        .addSamples(Sample.newBuilder().setTimestamp(5).setValue(2.5))
                        .addHistograms(Histogram.newBuilder().setCountInt(4).setTimestamp(5))
                        .addExemplars(dev.runnel.proto.prometheus.write.v2.Exemplar.newBuilder()
                                .addAllLabelsRefs(List.of(6, 7)).setValue(1).setTimestamp(5))
                        .setMetadata(Metadata.newBuilder().setType(Metadata.MetricType.METRIC_TYPE_HISTOGRAM).setHelpRef(5))
                        .setCreatedTimestamp(3))
                .build();
        // Series before symbols on the wire: legal, if unusual.
        byte[] symbolsLast = concat(Request.newBuilder().addAllTimeseries(request.getTimeseriesList()).build().toByteArray(),
                Request.newBuilder().addAllSymbols(request.getSymbolsList()).build().toByteArray());

        for (byte[] body : List.of(request.toByteArray(), symbolsLast)) {
            WriteBatch batch = RemoteWrite2Decoder.decode(body);
            assertThat(labels(batch, 0)).containsExactly("__name__", "rpc_seconds", "job", "api");
            assertThat(batch.value(0)).isEqualTo(2.5);
            assertThat(batch.histograms(0)).extracting(Histogram::getCountInt).containsExactly(4L);
            assertThat(batch.exemplars(0).get(0).labels()).containsExactly("trace_id", "t");
            assertThat(batch.createdTimestamp(0)).isEqualTo(3);
            assertThat(batch.metadata()).containsExactly(
                    new MetricMetadata("rpc_seconds", MetricMetadata.Type.HISTOGRAM, "help text", ""));
            assertThat(batch.totalSamples()).isEqualTo(2);
        }
    }

    @Test
    void remoteWrite2RejectsReferencesOutsideTheSymbols() {
        byte[] body = Request.newBuilder().addAllSymbols(List.of("", "a"))
                .addTimeseries(dev.runnel.proto.prometheus.write.v2.TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 9)))
                .build().toByteArray();
        assertThatThrownBy(() -> RemoteWrite2Decoder.decode(body))
                .isInstanceOf(InvalidProtocolBufferException.class).hasMessageContaining("symbol reference 9");
        byte[] odd = Request.newBuilder().addAllSymbols(List.of("", "a"))
                .addTimeseries(dev.runnel.proto.prometheus.write.v2.TimeSeries.newBuilder().addAllLabelsRefs(List.of(1)))
                .build().toByteArray();
        assertThatThrownBy(() -> RemoteWrite2Decoder.decode(odd)).hasMessageContaining("odd number");
    }

    @Test
    void brokenBodiesAreProtocolErrors() {
        byte[] valid = WriteRequest.newBuilder().addTimeseries(TimeSeries.newBuilder()
                .addLabels(label("__name__", "up")).addSamples(sample(1, 1))).build().toByteArray();
        for (int cut = 1; cut < valid.length; cut++) {
            byte[] truncated = Arrays.copyOf(valid, cut);
            assertThatThrownBy(() -> RemoteWrite1Decoder.decode(truncated)).isInstanceOf(InvalidProtocolBufferException.class);
        }
        byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
        assertThatThrownBy(() -> RemoteWrite1Decoder.decode(garbage)).isInstanceOf(InvalidProtocolBufferException.class);
        assertThatThrownBy(() -> RemoteWrite2Decoder.decode(garbage)).isInstanceOf(InvalidProtocolBufferException.class);
    }

    @Test
    void anEmptyBodyIsAnEmptyBatch() throws Exception {
        assertThat(RemoteWrite1Decoder.decode(new byte[0]).seriesCount()).isZero();
        assertThat(RemoteWrite2Decoder.decode(new byte[0]).seriesCount()).isZero();
    }

    static List<String> labels(WriteBatch batch, int s) {
        List<String> out = new ArrayList<>();
        for (int l = batch.firstLabel(s); l < batch.firstLabel(s) + batch.labelCount(s); l++) {
            out.add(batch.labelName(l));
            out.add(batch.labelValue(l));
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static Label label(String name, String value) {
        return Label.newBuilder().setName(name).setValue(value).build();
    }

    private static Sample sample(long ts, double v) {
        return Sample.newBuilder().setTimestamp(ts).setValue(v).build();
    }
}
