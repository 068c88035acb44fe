package dev.runnel.distributor.validation;

import static dev.runnel.distributor.push.MetricValues.discardedSamples;
import static dev.runnel.distributor.push.MetricValues.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.distributor.limits.Limits;
import dev.runnel.distributor.limits.LimitsYaml;
import dev.runnel.distributor.limits.TenantLimits;
import dev.runnel.distributor.push.DiscardCounters;
import dev.runnel.distributor.push.PushVerdict;
import dev.runnel.distributor.write.Exemplar;
import dev.runnel.distributor.write.MetricMetadata;
import dev.runnel.distributor.write.WriteBatch;
import dev.runnel.distributor.write.WriteBatchBuilder;
import dev.runnel.proto.prometheus.write.v2.BucketSpan;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ValidationStageTest {

    private static final long NOW = 1_700_000_000_000L;
    private static final long STALE_NAN = 0x7ff0000000000002L;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Limits limits = new Limits(5, 10, 20, 30, Duration.ofMinutes(10), Duration.ofHours(1),
            10_000, 200_000, false, "cluster", "__replica__", true, List.of(), false, false, false, 0);
    private final ValidationStage stage = new ValidationStage(TenantLimits.fixed(limits), new DiscardCounters(registry));

    @Test
    void validSeriesPassUntouchedWithNaNInfinityAndStaleMarkers() {
        WriteBatch batch = WriteBatch.builder()
                .startSeries().label("__name__", "up").label("job", "api")
                .sample(NOW, Double.NaN).sample(NOW, Double.POSITIVE_INFINITY).sample(NOW, Double.NEGATIVE_INFINITY)
                .sample(NOW, Double.longBitsToDouble(STALE_NAN)).sample(NOW - 1000, 1.5).endSeries()
                .build();

        assertThat(stage.apply("t", batch, NOW)).isEqualTo(PushVerdict.ACCEPT);

        assertThat(batch.isDropped(0)).isFalse();
        assertThat(batch.keptSamples()).isEqualTo(5);
        assertThat(batch.value(0)).isNaN();
        assertThat(batch.value(1)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(batch.value(2)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Double.doubleToRawLongBits(batch.value(3))).isEqualTo(STALE_NAN);
        assertThat(batch.describe(0)).isEqualTo("up{job=\"api\"}");
    }

    static Stream<Arguments> invalidSeries() {
        return Stream.of(
                Arguments.of(series().label("job", "x"), "missing_metric_name",
                        "received a series without a metric name, series: {job=\"x\"}"),
                Arguments.of(series().label("__name__", ""), "missing_metric_name",
                        "received a series without a metric name, series: {}"),
                Arguments.of(series().label("__name__", "0up"), "metric_name_invalid",
                        "received a series with an invalid metric name: \"0up\" (must match [a-zA-Z_:][a-zA-Z0-9_:]*), series: 0up{}"),
                Arguments.of(series().label("__name__", "up").label("a", "1").label("b", "1").label("c", "1").label("d", "1")
                        .label("e", "1"), "max_label_names_per_series",
                        "received a series with 6 labels, more than max_label_names_per_series (5), series: "
                                + "up{a=\"1\", b=\"1\", c=\"1\", d=\"1\", e=\"1\"}"),
                Arguments.of(series().label("__name__", "up").label("0abc", "x"), "label_invalid",
                        "received a series with an invalid label name: \"0abc\" (must match [a-zA-Z_][a-zA-Z0-9_]*), series: up{0abc=\"x\"}"),
                Arguments.of(series().label("__name__", "up").label("abcdefghijk", "x"), "label_name_too_long",
                        "received a series with a label name longer than max_label_name_length (10 bytes): \"abcdefghijk\", "
                                + "series: up{abcdefghijk=\"x\"}"),
                Arguments.of(series().label("__name__", "up").label("v", "x".repeat(21)), "label_value_too_long",
                        "received a series whose label \"v\" has a value longer than max_label_value_length (20 bytes): \""
                                + "x".repeat(21) + "\", series: up{v=\"" + "x".repeat(21) + "\"}"),
                Arguments.of(series().label("__name__", "up").label("a", "1").label("a", "2"), "duplicate_label_names",
                        "received a series with the label name \"a\" twice, series: up{a=\"1\", a=\"2\"}"));
    }

    @ParameterizedTest
    @MethodSource("invalidSeries")
    void anInvalidSeriesIsDroppedAndTheOthersKept(WriteBatchBuilder invalid, String reason, String error) {
        WriteBatch batch = invalid.sample(NOW, 1).sample(NOW, 2).endSeries()
                .startSeries().label("__name__", "ok").sample(NOW, 3).endSeries()
                .build();

        PushVerdict verdict = stage.apply("t", batch, NOW);

        assertThat(verdict).isEqualTo(PushVerdict.partial(error, 2));
        assertThat(batch.isDropped(0)).isTrue();
        assertThat(batch.isDropped(1)).isFalse();
        assertThat(discardedSamples(registry, reason, "t")).isEqualTo(2);
    }

    @Test
    void aLabelValueThatIsNotUtf8IsRejected() {
        byte[] text = {'_', '_', 'n', 'a', 'm', 'e', '_', '_', 'u', 'p', 'v', (byte) 0xC3, (byte) 0x28};
        WriteBatch batch = WriteBatch.builder(text).startSeries().label(0, 8, 8, 2).label(10, 1, 11, 2)
                .sample(NOW, 1).endSeries().build();

        PushVerdict verdict = stage.apply("t", batch, NOW);

        assertThat(((PushVerdict.Partial) verdict).firstError())
                .startsWith("received a series whose label \"v\" has a value that is not valid UTF-8, series: up{v=");
        assertThat(discardedSamples(registry, "label_value_invalid", "t")).isEqualTo(1);
    }

    @Test
    void labelsWithEmptyValuesAreRemoved() {
        WriteBatch batch = series().label("__name__", "up").label("a", "").label("job", "x").label("z", "")
                .sample(NOW, 1).endSeries().build();

        assertThat(stage.apply("t", batch, NOW)).isEqualTo(PushVerdict.ACCEPT);
        assertThat(batch.describe(0)).isEqualTo("up{job=\"x\"}");
        assertThat(batch.labelCount(0)).isEqualTo(2);
    }

    @Test
    void onlyTheSamplesOutsideTheTimeWindowAreDropped() {
        long future = NOW + Duration.ofMinutes(11).toMillis();
        long past = NOW - Duration.ofMinutes(61).toMillis();
        WriteBatch batch = series().label("__name__", "up")
                .sample(NOW - 1000, 1).sample(future, 2).sample(NOW + 1000, 3).sample(past, 4).endSeries().build();

        PushVerdict verdict = stage.apply("t", batch, NOW);

        assertThat(verdict).isEqualTo(PushVerdict.partial("received a sample whose timestamp " + future
                + " is more than creation_grace_period (10m) in the future, series: up{}", 2));
        assertThat(batch.isDropped(0)).isFalse();
        assertThat(batch.keptSamples()).isEqualTo(2);
        assertThat(batch.isSampleDropped(1)).isTrue();
        assertThat(batch.isSampleDropped(3)).isTrue();
        assertThat(discardedSamples(registry, "too_far_in_future", "t")).isEqualTo(1);
        assertThat(discardedSamples(registry, "too_far_in_past", "t")).isEqualTo(1);
    }

    @Test
    void aZeroPastGracePeriodAcceptsAnyAge() {
        ValidationStage defaults = new ValidationStage(TenantLimits.fixed(Limits.DEFAULTS), new DiscardCounters(new PrometheusRegistry()));
        WriteBatch batch = series().label("__name__", "up").sample(0, 1).sample(NOW - Duration.ofDays(365).toMillis(), 2)
                .endSeries().build();
        assertThat(defaults.apply("t", batch, NOW)).isEqualTo(PushVerdict.ACCEPT);
    }

    @Test
    void tenantOverridesApply() {
        Limits strict = LimitsYaml.over(Limits.DEFAULTS, node("max_label_names_per_series", 1));
        ValidationStage perTenant = new ValidationStage(TenantLimits.fixed(Limits.DEFAULTS, Map.of("strict", strict)),
                new DiscardCounters(new PrometheusRegistry()));
        assertThat(perTenant.apply("lax", series().label("__name__", "up").label("a", "1").sample(NOW, 1).endSeries().build(), NOW))
                .isEqualTo(PushVerdict.ACCEPT);
        assertThat(perTenant.apply("strict", series().label("__name__", "up").label("a", "1").sample(NOW, 1).endSeries().build(), NOW))
                .isInstanceOf(PushVerdict.Partial.class);
    }

    @Test
    void invalidNativeHistogramsAreDroppedAlone() {
        Histogram valid = Histogram.newBuilder().setCountInt(3).setSchema(0).setTimestamp(NOW).setZeroCountInt(1)
                .addPositiveSpans(BucketSpan.newBuilder().setOffset(0).setLength(2)).addPositiveDeltas(1).addPositiveDeltas(0)
                .build();
        Histogram stale = Histogram.newBuilder().setCountInt(0).setSum(Double.longBitsToDouble(STALE_NAN)).setTimestamp(NOW).build();
        Histogram mismatch = valid.toBuilder().addPositiveDeltas(0).build();
        Histogram badSchema = valid.toBuilder().setSchema(9).build();
        Histogram negative = valid.toBuilder().setPositiveDeltas(1, -2).build();
        Histogram countTooLow = valid.toBuilder().setCountInt(1).build();
        Histogram mixed = valid.toBuilder().addPositiveCounts(1).build();
        Histogram floatOk = Histogram.newBuilder().setCountFloat(2.5).setSchema(3).setTimestamp(NOW)
                .addNegativeSpans(BucketSpan.newBuilder().setOffset(-2).setLength(1)).addNegativeCounts(2.5).build();
        Histogram custom = Histogram.newBuilder().setCountInt(1).setSchema(-53).setTimestamp(NOW).addCustomValues(1).addCustomValues(0.5)
                .build();
        WriteBatch batch = series().label("__name__", "h").histogram(valid).histogram(mismatch).histogram(stale)
                .histogram(badSchema).histogram(negative).histogram(countTooLow).histogram(mixed).histogram(floatOk)
                .histogram(custom).histogram(valid.toBuilder().setTimestamp(NOW + Duration.ofHours(1).toMillis()).build())
                .endSeries().build();

        PushVerdict verdict = stage.apply("t", batch, NOW);

        assertThat(batch.histograms(0)).containsExactly(valid, stale, floatOk);
        assertThat(verdict).isEqualTo(PushVerdict.partial("received a native histogram sample with positive spans cover 2 buckets but 3 "
                + "bucket counts were sent, timestamp: " + NOW + ", series: h{}", 7));
        assertThat(discardedSamples(registry, "invalid_native_histogram", "t")).isEqualTo(5);
        assertThat(discardedSamples(registry, "invalid_native_histogram_schema", "t")).isEqualTo(1);
        assertThat(discardedSamples(registry, "too_far_in_future", "t")).isEqualTo(1);
    }

    @Test
    void invalidExemplarsAreDroppedAndTheSeriesKept() {
        Exemplar good = new Exemplar(List.of("trace_id", "abc"), 1, NOW);
        WriteBatch batch = series().label("__name__", "up").sample(NOW, 1)
                .exemplar(new Exemplar(List.of(), 1, NOW))
                .exemplar(good)
                .exemplar(new Exemplar(List.of("trace_id", "abc"), 1, 0))
                .exemplar(new Exemplar(List.of("trace_id", "x".repeat(121)), 1, NOW))
                .exemplar(new Exemplar(List.of("trace_id", ""), 1, NOW))
                .exemplar(new Exemplar(List.of("trace_id", "old"), 1, NOW - Duration.ofDays(1).toMillis()))
                .endSeries().build();

        PushVerdict verdict = stage.apply("t", batch, NOW);

        assertThat(batch.exemplars(0)).containsExactly(good);
        assertThat(batch.keptSamples()).isEqualTo(1);
        assertThat(verdict).isEqualTo(PushVerdict.partial("received an exemplar without labels, timestamp: " + NOW + ", series: up{}", 0));
        for (String reason : List.of("exemplar_labels_missing", "exemplar_timestamp_invalid", "exemplar_labels_too_long",
                "exemplar_labels_blank", "exemplar_too_old")) {
            assertThat(value(registry, "runnel_distributor_discarded_exemplars", "reason", reason, "user", "t")).as(reason).isEqualTo(1);
        }
    }

    @Test
    void oldExemplarsAloneAreNotAnError() {
        WriteBatch batch = series().label("__name__", "up").sample(NOW, 1)
                .exemplar(new Exemplar(List.of("trace_id", "old"), 1, NOW - Duration.ofDays(1).toMillis())).endSeries().build();
        assertThat(stage.apply("t", batch, NOW)).isEqualTo(PushVerdict.ACCEPT);
        assertThat(batch.exemplars(0)).isEmpty();
    }

    @Test
    void metadataIsCheckedAndLongHelpCut() {
        WriteBatch batch = series().label("__name__", "up").sample(NOW, 1).endSeries()
                .metadata(new MetricMetadata("", MetricMetadata.Type.GAUGE, "", ""))
                .metadata(new MetricMetadata("up", MetricMetadata.Type.GAUGE, "é".repeat(20), "seconds"))
                .metadata(new MetricMetadata("x".repeat(31), MetricMetadata.Type.GAUGE, "", ""))
                .metadata(new MetricMetadata("up2", MetricMetadata.Type.GAUGE, "", "u".repeat(31)))
                .build();

        PushVerdict verdict = stage.apply("t", batch, NOW);

        assertThat(verdict).isEqualTo(PushVerdict.partial("received metric metadata without a metric family name", 0));
        assertThat(batch.metadata()).containsExactly(new MetricMetadata("up", MetricMetadata.Type.GAUGE, "é".repeat(15), "seconds"));
        for (String reason : List.of("missing_metric_name", "metric_name_too_long", "unit_too_long")) {
            assertThat(value(registry, "runnel_distributor_discarded_metadata", "reason", reason, "user", "t")).as(reason).isEqualTo(1);
        }
    }

    @Test
    void aValidRequestOf2000SamplesAllocatesNothingPerSeries() {
        ValidationStage defaults = new ValidationStage(TenantLimits.fixed(Limits.DEFAULTS), new DiscardCounters(new PrometheusRegistry()));
        WriteBatchBuilder builder = WriteBatch.builder();
        for (int s = 0; s < 1000; s++) {
            builder.startSeries().label("__name__", "http_requests_total").label("instance", "host-" + s + ":9090")
                    .label("job", "api").label("method", "GET").label("status", "200").sample(NOW - 15_000, s).sample(NOW, s + 1)
                    .endSeries();
        }
        WriteBatch batch = builder.build();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < 2000; i++) {
            defaults.apply("t", batch, NOW);
        }
        long before = threads.getThreadAllocatedBytes(thread);
        PushVerdict verdict = defaults.apply("t", batch, NOW);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertThat(verdict).isEqualTo(PushVerdict.ACCEPT);
        assertThat(allocated).as("bytes allocated validating 1000 series").isLessThan(1000);
    }

    private static WriteBatchBuilder series() {
        return WriteBatch.builder().startSeries();
    }

    private static com.fasterxml.jackson.databind.JsonNode node(String key, int value) {
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put(key, value);
    }
}
