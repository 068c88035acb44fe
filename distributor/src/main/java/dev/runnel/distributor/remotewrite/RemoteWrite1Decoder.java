package dev.runnel.distributor.remotewrite;

import static dev.runnel.distributor.remotewrite.ProtoReader.LENGTH_DELIMITED;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.runnel.distributor.write.MetricMetadata;
import dev.runnel.distributor.write.WriteBatch;
import dev.runnel.distributor.write.WriteBatchBuilder;
import dev.runnel.proto.prometheus.Exemplar;
import dev.runnel.proto.prometheus.Label;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a remote write 1.0 {@code prometheus.WriteRequest} into a {@link WriteBatch} whose
 * labels point into the request bytes: no string and no object per label or sample. Exemplars,
 * native histograms and metadata, which are rare, go through the generated message classes.
 */
public final class RemoteWrite1Decoder {

    private static final int WRITE_REQUEST_TIMESERIES = 1;
    private static final int WRITE_REQUEST_METADATA = 3;
    private static final int SERIES_LABELS = 1;
    private static final int SERIES_SAMPLES = 2;
    private static final int SERIES_EXEMPLARS = 3;
    private static final int SERIES_HISTOGRAMS = 4;

    private RemoteWrite1Decoder() {
    }

    /** @throws InvalidProtocolBufferException if {@code body} is not a valid WriteRequest */
    public static WriteBatch decode(byte[] body) throws InvalidProtocolBufferException {
        WriteBatchBuilder batch = WriteBatch.builder(body);
        ProtoReader in = new ProtoReader(body);
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (tag) {
                case (WRITE_REQUEST_TIMESERIES << 3) | LENGTH_DELIMITED -> {
                    int outer = in.pushLimit();
                    readSeries(in, batch);
                    in.popLimit(outer);
                }
                case (WRITE_REQUEST_METADATA << 3) | LENGTH_DELIMITED ->
                        batch.metadata(metadata(in.readMessage(dev.runnel.proto.prometheus.MetricMetadata.parser())));
                default -> in.skipField(tag);
            }
        }
        return batch.build();
    }

    private static void readSeries(ProtoReader in, WriteBatchBuilder batch) throws InvalidProtocolBufferException {
        batch.startSeries();
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (tag) {
                case (SERIES_LABELS << 3) | LENGTH_DELIMITED -> {
                    int outer = in.pushLimit();
                    readLabel(in, batch);
                    in.popLimit(outer);
                }
                case (SERIES_SAMPLES << 3) | LENGTH_DELIMITED -> {
                    int outer = in.pushLimit();
                    Wire.readSample(in, batch);
                    in.popLimit(outer);
                }
                case (SERIES_EXEMPLARS << 3) | LENGTH_DELIMITED -> batch.exemplar(exemplar(in.readMessage(Exemplar.parser())));
                case (SERIES_HISTOGRAMS << 3) | LENGTH_DELIMITED -> batch.histogram(in.readMessage(Histogram.parser()));
                default -> in.skipField(tag);
            }
        }
        batch.endSeries();
    }

    private static void readLabel(ProtoReader in, WriteBatchBuilder batch) throws InvalidProtocolBufferException {
        int nameOffset = 0, nameLength = 0, valueOffset = 0, valueLength = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (tag) {
                case (1 << 3) | LENGTH_DELIMITED -> {
                    nameLength = in.readLength();
                    nameOffset = in.position();
                    in.skip(nameLength);
                }
                case (2 << 3) | LENGTH_DELIMITED -> {
                    valueLength = in.readLength();
                    valueOffset = in.position();
                    in.skip(valueLength);
                }
                default -> in.skipField(tag);
            }
        }
        batch.label(nameOffset, nameLength, valueOffset, valueLength);
    }

    private static dev.runnel.distributor.write.Exemplar exemplar(Exemplar e) {
        List<String> labels = new ArrayList<>(e.getLabelsCount() * 2);
        for (Label l : e.getLabelsList()) {
            labels.add(l.getName());
            labels.add(l.getValue());
        }
        return new dev.runnel.distributor.write.Exemplar(labels, e.getValue(), e.getTimestamp());
    }

    private static MetricMetadata metadata(dev.runnel.proto.prometheus.MetricMetadata m) {
        return new MetricMetadata(m.getMetricFamilyName(), MetricMetadata.Type.forNumber(m.getTypeValue()),
                m.getHelp(), m.getUnit());
    }
}
