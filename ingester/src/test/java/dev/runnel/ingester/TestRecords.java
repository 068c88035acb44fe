package dev.runnel.ingester;

import dev.runnel.proto.prometheus.write.v2.Request;
import dev.runnel.proto.prometheus.write.v2.Sample;
import dev.runnel.proto.prometheus.write.v2.TimeSeries;
import java.util.List;

/** Log records as the distributor writes them (distributor/RECORDS.md), for the ingester's tests. */
public final class TestRecords {
    private TestRecords() {
    }

    /** A record value: version 1 and a Request with one sample for each of {@code instances} of {@code metric}. */
    public static byte[] record(String metric, long t, double v, String... instances) {
        Request.Builder r = Request.newBuilder().addAllSymbols(List.of("", "__name__", metric, "instance"));
        for (int i = 0; i < instances.length; i++) {
            r.addSymbols(instances[i]);
            r.addTimeseries(TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 2, 3, 4 + i))
                    .addSamples(Sample.newBuilder().setTimestamp(t).setValue(v)));
        }
        byte[] body = r.build().toByteArray();
        byte[] value = new byte[body.length + 1];
        value[0] = 1;
        System.arraycopy(body, 0, value, 1, body.length);
        return value;
    }
}
