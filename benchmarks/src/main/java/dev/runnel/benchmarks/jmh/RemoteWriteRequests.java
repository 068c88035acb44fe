package dev.runnel.benchmarks.jmh;

import dev.runnel.proto.prometheus.Label;
import dev.runnel.proto.prometheus.TimeSeries;
import dev.runnel.proto.prometheus.WriteRequest;
import dev.runnel.proto.prometheus.write.v2.Sample;
import java.util.Random;

/**
 * Remote write 1.0 requests shaped like a Prometheus server's: one sample per series, series of
 * a few metric families over many targets, ten labels each (name, job, instance and seven more),
 * sorted by name as Prometheus sends them.
 */
final class RemoteWriteRequests {

    private RemoteWriteRequests() {
    }

    static byte[] request(int seriesPerRequest, int seed, long timestamp) {
        Random random = new Random(seed);
        WriteRequest.Builder request = WriteRequest.newBuilder();
        for (int s = 0; s < seriesPerRequest; s++) {
            int target = random.nextInt(5_000);
            TimeSeries.Builder series = TimeSeries.newBuilder()
                    .addLabels(label("__name__", "http_requests_total_" + random.nextInt(50)))
                    .addLabels(label("cluster", "prod-eu-west-" + target % 3))
                    .addLabels(label("code", String.valueOf(200 + random.nextInt(5) * 100)))
                    .addLabels(label("handler", "/api/v1/resource/" + random.nextInt(20)))
                    .addLabels(label("instance", "10.0." + target / 250 + "." + target % 250 + ":9090"))
                    .addLabels(label("job", "service-" + target % 40))
                    .addLabels(label("method", random.nextBoolean() ? "GET" : "POST"))
                    .addLabels(label("namespace", "team-" + target % 12))
                    .addLabels(label("pod", "service-" + target % 40 + "-7d9f8b6c5-" + Integer.toString(target, 36)))
                    .addLabels(label("region", "eu-west-1"))
                    .addSamples(Sample.newBuilder().setTimestamp(timestamp).setValue(random.nextInt(1_000_000)));
            request.addTimeseries(series);
        }
        return request.build().toByteArray();
    }

    private static Label label(String name, String value) {
        return Label.newBuilder().setName(name).setValue(value).build();
    }
}
