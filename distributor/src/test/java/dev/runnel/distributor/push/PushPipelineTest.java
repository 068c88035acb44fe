package dev.runnel.distributor.push;

import static dev.runnel.distributor.TestRequests.expected;
import static dev.runnel.distributor.TestRequests.readAll;
import static dev.runnel.distributor.TestRequests.rw1;
import static dev.runnel.distributor.TestRequests.rw2;
import static dev.runnel.distributor.TestRequests.series;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.distributor.TestRequests.ReadSeries;
import dev.runnel.distributor.produce.FakeRecordWriter;
import dev.runnel.distributor.produce.PartitionRecord;
import dev.runnel.distributor.produce.RecordWriteException;
import dev.runnel.distributor.produce.RecordWriter;
import dev.runnel.distributor.remotewrite.RemoteWriteVersion;
import dev.runnel.distributor.sharding.SeriesHash;
import dev.runnel.distributor.sharding.TopicPartitions;
import dev.runnel.proto.prometheus.MetricMetadata;
import dev.runnel.proto.prometheus.TimeSeries;
import dev.runnel.proto.prometheus.WriteRequest;
import dev.runnel.proto.prometheus.write.v2.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.utils.MockTime;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.Test;

class PushPipelineTest {
    private static final TopicPartitions PARTITIONS = new TopicPartitions(4);

    private final FakeRecordWriter log = new FakeRecordWriter();

    private static final List<TimeSeries> SERIES = List.of(
            series(List.of("__name__", "up", "job", "a"), 1000, 1, 2000, 0),
            series(List.of("__name__", "up", "job", "b"), 1000, 1),
            series(List.of("__name__", "requests_total", "job", "a", "code", "200"), 1000, 7, 2000, 9, 3000, 12),
            series(List.of("__name__", "temp", "room", "x"), 5, -3.5));

    private PushPipeline pipeline(PushStage... stages) {
        return pipeline(Duration.ofSeconds(5), stages);
    }

    private PushPipeline pipeline(Duration timeout, PushStage... stages) {
        return new PushPipeline(List.of(stages), PARTITIONS, log, 1 << 20, timeout, Time.SYSTEM);
    }

    private static byte[] request() {
        return rw1(SERIES.toArray(TimeSeries[]::new)).toByteArray();
    }

    @Test
    void remoteWrite1IsWrittenWholeAndAnswered200() {
        PushResult result = pipeline().push("t1", RemoteWriteVersion.V1, request()).join();

        assertThat(result).isEqualTo(new PushResult(200, "", 7, 0, 0));
        assertThat(readAll(log.requests())).containsExactlyInAnyOrderElementsOf(SERIES.stream().map(s -> expected(s)).toList());
        assertThat(log.writes()).singleElement().extracting(FakeRecordWriter.Write::tenant).isEqualTo("t1");
    }

    @Test
    void remoteWrite2IsAnswered204WithWhatWasWritten() {
        byte[] body = rw2(rw1(SERIES.toArray(TimeSeries[]::new))).toByteArray();

        PushResult result = pipeline().push("t1", RemoteWriteVersion.V2, body).join();

        assertThat(result).isEqualTo(new PushResult(204, "", 7, 0, 0));
        assertThat(readAll(log.requests())).containsExactlyInAnyOrderElementsOf(SERIES.stream().map(s -> expected(s)).toList());
    }

    @Test
    void everySeriesGoesToItsPartitionInOneRecordPerPartition() {
        pipeline().push("t1", RemoteWriteVersion.V1, request()).join();

        List<PartitionRecord> records = log.writes().get(0).records();
        assertThat(records).extracting(PartitionRecord::partition).doesNotHaveDuplicates();
        var batch = uncheckedDecode(request());
        for (PartitionRecord record : records) {
            for (ReadSeries s : readAll(List.of(FakeRecordWriter.decode(record.value())))) {
                int index = indexOf(s);
                assertThat(record.partition()).isEqualTo(PARTITIONS.partitionFor("t1", SeriesHash.of("t1", batch, index)));
            }
        }
    }

    @Test
    void metadataGoesWhereItsFamilyNameSeriesGoes() {
        WriteRequest request = WriteRequest.newBuilder().addMetadata(MetricMetadata.newBuilder()
                .setMetricFamilyName("up").setType(MetricMetadata.MetricType.GAUGE).setHelp("Is it up.")).build();

        PushResult result = pipeline().push("t1", RemoteWriteVersion.V1, request.toByteArray()).join();

        assertThat(result.status()).isEqualTo(200);
        PartitionRecord record = log.writes().get(0).records().get(0);
        assertThat(record.partition()).isEqualTo(PARTITIONS.partitionFor("t1", SeriesHash.ofMetricName("t1", "up")));
        Request decoded = FakeRecordWriter.decode(record.value());
        assertThat(decoded.getSymbols(decoded.getTimeseries(0).getMetadata().getHelpRef())).isEqualTo("Is it up.");
    }

    @Test
    void aPartialRejectionWritesTheValidSeriesThenAnswers400WithTheFirstError() {
        PushStage dropsSecondSeries = (tenant, batch, now) -> {
            batch.dropSeries(1);
            return PushVerdict.partial("series up{job=\"b\"} is bad", 1);
        };
        PushStage dropsOneSample = (tenant, batch, now) -> {
            batch.dropSample(batch.sampleStart(2));
            return PushVerdict.partial("a later error", 1);
        };

        PushResult result = pipeline(dropsSecondSeries, dropsOneSample).push("t1", RemoteWriteVersion.V1, request()).join();

        assertThat(result.status()).isEqualTo(400);
        assertThat(result.message()).startsWith("series up{job=\"b\"} is bad").contains("2 samples").doesNotContain("later");
        assertThat(result.samplesWritten()).isEqualTo(5);
        assertThat(result.samplesRejected()).isEqualTo(2);
        assertThat(result.partiallyWritten()).isTrue();
        List<ReadSeries> written = readAll(log.requests());
        assertThat(written).hasSize(3).contains(expected(SERIES.get(0)), expected(SERIES.get(3)));
        assertThat(written).noneMatch(s -> "b".equals(s.labels().get("job")));
        assertThat(written).filteredOn(s -> s.labels().get("__name__").equals("requests_total"))
                .singleElement().extracting(ReadSeries::timestamps).isEqualTo(List.of(2000L, 3000L));
    }

    @Test
    void aStopVerdictAnswersAtOnceAndWritesNothing() {
        AtomicInteger laterStageRuns = new AtomicInteger();
        PushResult result = pipeline(
                (tenant, batch, now) -> PushVerdict.stop(429, "ingestion rate limit exceeded"),
                (tenant, batch, now) -> {
                    laterStageRuns.incrementAndGet();
                    return PushVerdict.ACCEPT;
                }).push("t1", RemoteWriteVersion.V1, request()).join();

        assertThat(result).isEqualTo(new PushResult(429, "ingestion rate limit exceeded", 0, 0, 0));
        assertThat(log.writes()).isEmpty();
        assertThat(laterStageRuns).hasValue(0);
    }

    @Test
    void stagesRunInOrderAndSeeTheTenant() {
        List<String> seen = new ArrayList<>();
        pipeline((tenant, batch, now) -> {
            seen.add("first " + tenant);
            return PushVerdict.ACCEPT;
        }, (tenant, batch, now) -> {
            seen.add("second " + tenant);
            return PushVerdict.ACCEPT;
        }).push("t9", RemoteWriteVersion.V1, request()).join();

        assertThat(seen).containsExactly("first t9", "second t9");
    }

    @Test
    void aLogThatDoesNotAnswerInTimeIs503() {
        log.hang();

        PushResult result = pipeline(Duration.ofMillis(20)).push("t1", RemoteWriteVersion.V1, request()).join();

        assertThat(result.status()).isEqualTo(503);
        assertThat(result.message()).contains("-distributor.remote-timeout");
    }

    /** Found by AgentKillUnderLoadIT: with the agent down, sending blocked for the whole timeout and the wait then began anew. */
    @Test
    void timeSpentSendingCountsAgainstTheRemoteTimeout() {
        MockTime time = new MockTime();
        RecordWriter blocksThenHangs = (tenant, records) -> {
            time.sleep(60_000); // the producer's send blocked on metadata for the whole timeout
            return new CompletableFuture<>();
        };
        PushPipeline pipeline = new PushPipeline(List.of(), PARTITIONS, blocksThenHangs, 1 << 20, Duration.ofSeconds(60), time);

        CompletableFuture<PushResult> result = pipeline.push("t1", RemoteWriteVersion.V1, request());

        assertThat(result).succeedsWithin(Duration.ofSeconds(5)).extracting(PushResult::status).isEqualTo(503);
    }

    @Test
    void aRequestThatWaitedOutTheRemoteTimeoutIs503AndWritesNothing() {
        MockTime time = new MockTime();
        PushPipeline pipeline = new PushPipeline(List.of(), PARTITIONS, log, 1 << 20, Duration.ofSeconds(5), time);
        long received = pipeline.now();
        time.sleep(5_000); // queued for a push thread all that time

        PushResult result = pipeline.push("t1", RemoteWriteVersion.V1, request(), received).join();

        assertThat(result.status()).isEqualTo(503);
        assertThat(result.message()).contains("waited 5000 ms");
        assertThat(log.writes()).isEmpty();
    }

    @Test
    void aRetriableLogErrorIs503() {
        log.failWith(new RecordWriteException("NotLeaderOrFollowerException", true, "writing failed: not the leader", null));

        PushResult result = pipeline().push("t1", RemoteWriteVersion.V1, request()).join();

        assertThat(result).isEqualTo(new PushResult(503, "writing failed: not the leader", 0, 0, 0));
    }

    @Test
    void aNonRetriableLogErrorIs500WithItsMessage() {
        log.failWith(new RecordWriteException("AuthorizationException", false, "writing failed: not authorized", null));

        PushResult result = pipeline().push("t1", RemoteWriteVersion.V1, request()).join();

        assertThat(result).isEqualTo(new PushResult(500, "writing failed: not authorized", 0, 0, 0));
    }

    @Test
    void aSeriesLargerThanARecordIs400AndNothingIsWritten() {
        byte[] body = rw1(SERIES.get(0), series(List.of("__name__", "big", "blob", "x".repeat(2000)), 1, 1)).toByteArray();

        PushResult result = new PushPipeline(List.of(), PARTITIONS, log, 1024, Duration.ofSeconds(5), Time.SYSTEM)
                .push("t1", RemoteWriteVersion.V1, body).join();

        assertThat(result.status()).isEqualTo(400);
        assertThat(result.message()).contains("big{blob=").contains("1024 bytes");
        assertThat(log.writes()).isEmpty();
    }

    @Test
    void malformedProtobufIs400() {
        PushResult result = pipeline().push("t1", RemoteWriteVersion.V1, new byte[] {0x0a, 0x7f, 0x01}).join();

        assertThat(result.status()).isEqualTo(400);
        assertThat(result.message()).startsWith("the body is not a valid prometheus.WriteRequest message");
        assertThat(log.writes()).isEmpty();
    }

    @Test
    void aFailingStageIs500NotAnException() {
        PushResult result = pipeline((tenant, batch, now) -> {
            throw new IllegalStateException("bug");
        }).push("t1", RemoteWriteVersion.V1, request()).join();

        assertThat(result.status()).isEqualTo(500);
        assertThat(result.message()).contains("bug");
    }

    @Test
    void anEmptyRequestSucceedsWithoutWriting() {
        PushResult result = pipeline().push("t1", RemoteWriteVersion.V1, new byte[0]).join();

        assertThat(result).isEqualTo(new PushResult(200, "", 0, 0, 0));
        assertThat(log.writes()).singleElement().extracting(w -> w.records().size()).isEqualTo(0);
    }

    private static int indexOf(ReadSeries s) {
        for (int i = 0; i < SERIES.size(); i++) {
            if (expected(SERIES.get(i)).labels().equals(s.labels())) {
                return i;
            }
        }
        throw new AssertionError("unexpected series " + s);
    }

    private static dev.runnel.distributor.write.WriteBatch uncheckedDecode(byte[] body) {
        try {
            return RemoteWriteVersion.V1.decode(body);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
