package dev.runnel.loadgen.wire;

import dev.runnel.loadgen.series.Batch;
import dev.runnel.loadgen.series.Series;
import dev.runnel.proto.prometheus.write.v2.Request;
import dev.runnel.proto.prometheus.write.v2.Sample;
import dev.runnel.proto.prometheus.write.v2.TimeSeries;
import java.util.HashMap;
import java.util.Map;

/**
 * Remote write 2.0: label names and values become references into the request's symbol table, whose first entry
 * is the empty string as the specification requires.
 */
final class Rw2Encoder extends RequestEncoder {
    private final Map<String, Integer> refs = new HashMap<>();

    @Override
    byte[] protobuf(Batch batch) {
        refs.clear();
        Request.Builder request = Request.newBuilder().addSymbols("");
        refs.put("", 0);
        for (int i = 0; i < batch.size(); i++) {
            Series s = batch.series(i);
            TimeSeries.Builder ts = request.addTimeseriesBuilder();
            for (int l = 0; l < s.labelCount(); l++) {
                ts.addLabelsRefs(ref(request, s.name(l)));
                ts.addLabelsRefs(ref(request, s.value(l)));
            }
            ts.addSamples(Sample.newBuilder().setTimestamp(batch.timestamp(i)).setValue(batch.value(i)));
        }
        return request.build().toByteArray();
    }

    private int ref(Request.Builder request, String symbol) {
        Integer ref = refs.get(symbol);
        if (ref == null) {
            ref = refs.size();
            refs.put(symbol, ref);
            request.addSymbols(symbol);
        }
        return ref;
    }
}
