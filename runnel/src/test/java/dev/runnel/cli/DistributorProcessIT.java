package dev.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.proto.prometheus.Label;
import dev.runnel.proto.prometheus.TimeSeries;
import dev.runnel.proto.prometheus.WriteRequest;
import dev.runnel.proto.prometheus.write.v2.Request;
import dev.runnel.proto.prometheus.write.v2.Sample;
import java.net.URI;
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
import org.xerial.snappy.Snappy;

/** The binary with -target=all: remote write to its HTTP port lands in its own agent's ingest topic. */
class DistributorProcessIT {
    @TempDir
    Path dir;

    @Test
    void remoteWriteToTheBinaryIsInTheIngestTopic() throws Exception {
        try (RunnelProcess runnel = new RunnelProcess("all", dir.resolve("data"),
                List.of("-agent.batch-timeout=50ms", "-data.fsync=false", "-ingest-storage.kafka.auto-create-topic-default-partitions=2"))
                .start()) {
            WriteRequest request = WriteRequest.newBuilder().addTimeseries(TimeSeries.newBuilder()
                    .addLabels(Label.newBuilder().setName("__name__").setValue("up"))
                    .addLabels(Label.newBuilder().setName("job").setValue("binary"))
                    .addSamples(Sample.newBuilder().setTimestamp(1234).setValue(1))).build();
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + runnel.httpPort + "/api/v1/push"))
                    .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Snappy.compress(request.toByteArray()))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(runnel.http("/metrics")).contains("runnel_distributor_received_samples_total{user=\"anonymous\"} 1.0");

            List<ConsumerRecord<byte[], byte[]>> records = readAll(runnel.bootstrap());
            assertThat(records).singleElement().satisfies(record -> {
                assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("anonymous");
                assertThat(record.value()[0]).isEqualTo((byte) 1);
                Request decoded = Request.parseFrom(Arrays.copyOfRange(record.value(), 1, record.value().length));
                assertThat(decoded.getTimeseries(0).getLabelsRefsList().stream().map(decoded::getSymbols).toList())
                        .containsExactly("__name__", "up", "job", "binary");
                assertThat(decoded.getTimeseries(0).getSamplesList()).containsExactly(request.getTimeseries(0).getSamples(0));
            });
        }
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
