package dev.runnel.distributor.remotewrite;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.runnel.distributor.write.MetricMetadata;
import dev.runnel.distributor.write.WriteBatch;
import dev.runnel.distributor.write.WriteBatchBuilder;
import dev.runnel.proto.prometheus.Exemplar;
import dev.runnel.proto.prometheus.Label;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import java.io.IOException;
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
        CodedInputStream in = CodedInputStream.newInstance(body);
        try {
            int tag;
            while ((tag = in.readTag()) != 0) {
                switch (tag) {
                    case (WRITE_REQUEST_TIMESERIES << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
                        int limit = in.pushLimit(in.readRawVarint32());
                        readSeries(in, batch);
                        in.popLimit(limit);
                    }
                    case (WRITE_REQUEST_METADATA << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED ->
                            batch.metadata(metadata(dev.runnel.proto.prometheus.MetricMetadata.parseFrom(in.readBytes())));
                    default -> in.skipField(tag);
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidProtocolBufferException(e);
        }
        return batch.build();
    }

    private static void readSeries(CodedInputStream in, WriteBatchBuilder batch) throws IOException {
        batch.startSeries();
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (tag) {
                case (SERIES_LABELS << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
                    int limit = in.pushLimit(in.readRawVarint32());
                    readLabel(in, batch);
                    in.popLimit(limit);
                }
                case (SERIES_SAMPLES << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
                    int limit = in.pushLimit(in.readRawVarint32());
                    Wire.readSample(in, batch);
                    in.popLimit(limit);
                }
                case (SERIES_EXEMPLARS << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED ->
                        batch.exemplar(exemplar(Exemplar.parseFrom(in.readBytes())));
                case (SERIES_HISTOGRAMS << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED ->
                        batch.histogram(Histogram.parseFrom(in.readBytes()));
                default -> in.skipField(tag);
            }
        }
        batch.endSeries();
    }

    private static void readLabel(CodedInputStream in, WriteBatchBuilder batch) throws IOException {
        int nameOffset = 0, nameLength = 0, valueOffset = 0, valueLength = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (tag) {
                case (1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
                    nameLength = in.readRawVarint32();
                    nameOffset = Wire.skipString(in, nameLength);
                }
                case (2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
                    valueLength = in.readRawVarint32();
                    valueOffset = Wire.skipString(in, valueLength);
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
