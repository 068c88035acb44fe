package dev.runnel.loadgen.wire;

import dev.runnel.loadgen.series.Batch;
import dev.runnel.loadgen.series.Series;
import dev.runnel.proto.prometheus.Label;
import dev.runnel.proto.prometheus.TimeSeries;
import dev.runnel.proto.prometheus.WriteRequest;
import dev.runnel.proto.prometheus.write.v2.Sample;

/** Remote write 1.0: one {@code TimeSeries} with its full label set per sample, as Prometheus sends them. */
final class Rw1Encoder extends RequestEncoder {
    @Override
    byte[] protobuf(Batch batch) {
        WriteRequest.Builder request = WriteRequest.newBuilder();
        for (int i = 0; i < batch.size(); i++) {
            Series s = batch.series(i);
            TimeSeries.Builder ts = request.addTimeseriesBuilder();
            for (int l = 0; l < s.labelCount(); l++) {
                ts.addLabels(Label.newBuilder().setName(s.name(l)).setValue(s.value(l)));
            }
            ts.addSamples(Sample.newBuilder().setTimestamp(batch.timestamp(i)).setValue(batch.value(i)));
        }
        return request.build().toByteArray();
    }
}
