package dev.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.proto.prometheus.Label;
import dev.runnel.proto.prometheus.TimeSeries;
import dev.runnel.proto.prometheus.WriteRequest;
import dev.runnel.proto.prometheus.write.v2.BucketSpan;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import dev.runnel.proto.prometheus.write.v2.Request;
import dev.runnel.proto.prometheus.write.v2.Sample;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.file.Files;
import java.util.HashMap;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binary with -target=all: remote write and OTLP to its HTTP port land in its own agent's
 * ingest topic, through the limits of its config file, sharded over the partitions its ingesters
 * made ACTIVE in the ring, and the ingesters replay them into their heads. /ready (awaited by
 * {@link RunnelProcess#start()}) needs the ingesters registered and caught up. Its querier reads
 * them back over the ingesters' query service.
 */
class DistributorProcessIT {
    @TempDir
    Path dir;

    @Test
    void pushesToTheBinaryAreValidatedAndInTheIngestTopic() throws Exception {
        Path config = dir.resolve("runnel.yaml");
        Files.writeString(config, """
                limits:
                  max_label_names_per_series: 3
                """);
        try (RunnelProcess runnel = new RunnelProcess("all", dir.resolve("data"), List.of("-config.file=" + config,
                "-agent.batch-timeout=50ms", "-data.fsync=false", "-ingest-storage.kafka.auto-create-topic-default-partitions=2"))
                .start()) {
            // ready means queryable: the querier already sees every partition's ingester ACTIVE
            assertThat(runnel.http("/prometheus/api/v1/query?query=up")).startsWith("200 ");
            long now = System.currentTimeMillis();
            TimeSeries up = series(now, "__name__", "up", "job", "binary");
            HttpResponse<String> response = runnel.remoteWrite(WriteRequest.newBuilder().addTimeseries(up).build());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(runnel.http("/metrics")).contains("runnel_distributor_received_samples_total{user=\"anonymous\"} 1.0");

            WriteRequest mixed = WriteRequest.newBuilder()
                    .addTimeseries(series(now, "__name__", "wide", "a", "1", "b", "2", "c", "3"))
                    .addTimeseries(series(now, "__name__", "narrow", "a", "1")).build();
            HttpResponse<String> partial = runnel.remoteWrite(mixed);
            assertThat(partial.statusCode()).isEqualTo(400);
            assertThat(partial.body()).contains("max_label_names_per_series (3)").contains("wide");
            assertThat(runnel.http("/metrics"))
                    .contains("runnel_distributor_discarded_samples_total{reason=\"max_label_names_per_series\",user=\"anonymous\"} 1.0");

            HttpResponse<byte[]> otlp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + runnel.httpPort + "/otlp/v1/metrics"))
                    .header("Content-Type", "application/x-protobuf").timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(otlpGauge("otel.temperature", 21.5, now).toByteArray())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(otlp.statusCode()).as(new String(otlp.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            assertThat(ExportMetricsServiceResponse.parseFrom(otlp.body()).hasPartialSuccess()).isFalse();

            // every label set written per metric name (metadata-only entries of a family carry just its name)
            Map<String, List<List<String>>> written = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : readAll(runnel.bootstrap())) {
                assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("anonymous");
                assertThat(record.value()[0]).isEqualTo((byte) 1);
                Request decoded = Request.parseFrom(Arrays.copyOfRange(record.value(), 1, record.value().length));
                for (var series : decoded.getTimeseriesList()) {
                    List<String> labels = series.getLabelsRefsList().stream().map(decoded::getSymbols).toList();
                    written.computeIfAbsent(labels.get(1), k -> new ArrayList<>()).add(labels);
                }
            }
            assertThat(written).containsOnlyKeys("up", "narrow", "otel_temperature");
            assertThat(written.get("up")).contains(List.of("__name__", "up", "job", "binary"));
            assertThat(written.get("otel_temperature")).contains(List.of("__name__", "otel_temperature", "instance", "i-1", "job", "api"));

            // the process' ingesters (one per partition) replayed the three series into their heads
            String metrics = "";
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!metrics.contains("runnel_ingester_head_series{user=\"anonymous\"} 3.0") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                metrics = runnel.http("/metrics");
            }
            assertThat(metrics).contains("runnel_ingester_head_series{user=\"anonymous\"} 3.0")
                    .contains("runnel_ingester_partition_lag_records{partition=\"0\"} 0.0")
                    .contains("runnel_ingester_partition_lag_records{partition=\"1\"} 0.0");

            // the process' querier reads them back through the ingesters' query service, from both partitions
            String upQuery = runnel.http("/prometheus/api/v1/query?query=up&time=" + (now / 1000.0));
            assertThat(upQuery).startsWith("200 ").contains("\"__name__\":\"up\"").contains("\"job\":\"binary\"").contains("\"1\"]");
            String all = runnel.http("/prometheus/api/v1/query?query=" + URLEncoder.encode("count({__name__=~\".+\"})",
                    StandardCharsets.UTF_8) + "&time=" + (now / 1000.0));
            assertThat(all).startsWith("200 ").contains("\"3\"]");
            assertThat(runnel.http("/prometheus/api/v1/label/__name__/values"))
                    .contains("[\"narrow\",\"otel_temperature\",\"up\"]");
            assertThat(runnel.http("/prometheus/api/v1/metadata")).startsWith("200 ").contains("\"otel_temperature\":[{\"type\":\"gauge\"");

            // a native histogram takes the same way and comes back as a histogram
            TimeSeries histogram = TimeSeries.newBuilder()
                    .addLabels(Label.newBuilder().setName("__name__").setValue("rpc_seconds"))
                    .addHistograms(Histogram.newBuilder().setTimestamp(now).setSchema(0).setCountInt(3).setSum(4.5)
                            .addPositiveSpans(BucketSpan.newBuilder().setOffset(1).setLength(1)).addPositiveDeltas(3))
                    .build();
            HttpResponse<String> histogramWrite = runnel.remoteWrite(WriteRequest.newBuilder().addTimeseries(histogram).build());
            assertThat(histogramWrite.statusCode()).as(histogramWrite.body()).isEqualTo(200);
            String rpc = "";
            deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!rpc.contains("histogram") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                rpc = runnel.http("/prometheus/api/v1/query?query=rpc_seconds&time=" + (now / 1000.0));
            }
            assertThat(rpc).startsWith("200 ").contains("{\"count\":\"3\",\"sum\":\"4.5\",\"buckets\":[[0,\"1\",\"2\",\"3\"]]}");

            // every connection's bytes by zone pair: the distributor's producer, the ingesters' consumers and the
            // querier name the process' zone (zone-a); the test's own consumer names none; the object store is regional
            String traffic = runnel.http("/metrics");
            assertThat(traffic)
                    .containsPattern(network("received", "kafka-client", "zone-a"))
                    .containsPattern(network("sent", "kafka-client", "zone-a"))
                    .containsPattern(network("sent", "kafka-client", "unknown"))
                    .containsPattern(network("sent", "querier", "zone-a"))
                    .containsPattern(network("sent", "object-store", "regional"))
                    .containsPattern("runnel_object_store_requests_total\\{operation=\"put\",outcome=\"success\"\\} [1-9]");
        }
    }

    /** A runnel_network_bytes_total line of zone-a with a positive value. */
    private static String network(String direction, String peer, String peerZone) {
        return "runnel_network_bytes_total\\{direction=\"" + direction + "\",local_zone=\"zone-a\",peer=\"" + peer
                + "\",peer_zone=\"" + peerZone + "\"\\} [1-9]";
    }

    private static TimeSeries series(long timestamp, String... labels) {
        TimeSeries.Builder series = TimeSeries.newBuilder();
        for (int i = 0; i < labels.length; i += 2) {
            series.addLabels(Label.newBuilder().setName(labels[i]).setValue(labels[i + 1]));
        }
        return series.addSamples(Sample.newBuilder().setTimestamp(timestamp).setValue(1)).build();
    }

    private static ExportMetricsServiceRequest otlpGauge(String name, double value, long timeMillis) {
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder()
                        .addAttributes(KeyValue.newBuilder().setKey("service.name").setValue(AnyValue.newBuilder().setStringValue("api")))
                        .addAttributes(KeyValue.newBuilder().setKey("service.instance.id").setValue(AnyValue.newBuilder().setStringValue("i-1"))))
                .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName(name)
                        .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
                                .setAsDouble(value).setTimeUnixNano(timeMillis * 1_000_000)))))).build();
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            assertThat(consumer.partitionsFor("ingest")).hasSize(2);
            List<TopicPartition> partitions = List.of(new TopicPartition("ingest", 0), new TopicPartition("ingest", 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
