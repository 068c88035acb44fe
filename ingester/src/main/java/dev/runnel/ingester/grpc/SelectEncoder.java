package dev.runnel.ingester.grpc;

import com.google.protobuf.CodedOutputStream;
import dev.runnel.ingester.chunk.SampleIterator;
import dev.runnel.ingester.chunk.ValueType;
import dev.runnel.ingester.labels.Labels;
import dev.runnel.ingester.query.SeriesSet;
import dev.runnel.proto.ingester.v1.SelectResponse;
import dev.runnel.proto.ingester.v1.Series;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;

/**
 * Streams a selection as {@link SelectResponse} batches of about {@code batchBytes} each (a
 * series is never split, so a batch may exceed it by one series). Float samples go into the
 * packed timestamp and value arrays (no boxing), histograms as they are stored.
 */
final class SelectEncoder {

    static final int DEFAULT_BATCH_BYTES = 1 << 20;

    private final int batchBytes;

    SelectEncoder(int batchBytes) {
        if (batchBytes <= 0) {
            throw new IllegalArgumentException("batchBytes must be positive: " + batchBytes);
        }
        this.batchBytes = batchBytes;
    }

    /** Sends every series of {@code set}; stops early, sending nothing more, once {@code context} is cancelled. */
    void stream(SeriesSet set, Context context, StreamObserver<SelectResponse> out) {
        SelectResponse.Builder batch = SelectResponse.newBuilder();
        int bytes = 0;
        Series.Builder series = Series.newBuilder();
        while (set.next()) {
            if (context.isCancelled()) {
                return;
            }
            Series encoded = encode(set.labels(), set.samples(), series.clear());
            batch.addSeries(encoded);
            bytes += CodedOutputStream.computeMessageSize(SelectResponse.SERIES_FIELD_NUMBER, encoded);
            if (bytes >= batchBytes) {
                out.onNext(batch.build());
                batch = SelectResponse.newBuilder();
                bytes = 0;
            }
        }
        if (batch.getSeriesCount() > 0) {
            out.onNext(batch.build());
        }
    }

    private static Series encode(Labels labels, SampleIterator samples, Series.Builder series) {
        for (int i = 0; i < labels.size(); i++) {
            series.addLabels(labels.name(i)).addLabels(labels.value(i));
        }
        for (ValueType type = samples.next(); type != ValueType.NONE; type = samples.next()) {
            if (type == ValueType.FLOAT) {
                series.addTimestamps(samples.timestamp()).addValues(samples.value());
            } else {
                Histogram h = samples.histogram();
                long t = samples.timestamp();
                series.addHistograms(h.getTimestamp() == t ? h : h.toBuilder().setTimestamp(t).build());
            }
        }
        return series.build();
    }
}
