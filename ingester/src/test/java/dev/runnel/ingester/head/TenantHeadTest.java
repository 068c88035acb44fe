package dev.runnel.ingester.head;

import static dev.runnel.ingester.head.HeadTestSupport.labels;
import static dev.runnel.ingester.head.HeadTestSupport.samples;
import static dev.runnel.ingester.head.HeadTestSupport.timestamps;
import static dev.runnel.ingester.labels.LabelMatcher.equal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.ingester.chunk.SampleIterator;
import dev.runnel.ingester.chunk.ValueType;
import dev.runnel.ingester.labels.Labels;
import dev.runnel.ingester.query.MetricMetadata;
import dev.runnel.ingester.query.SeriesSet;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TenantHeadTest {

    private static final long MINUTE = 60_000;
    private static final Labels UP = Labels.of("__name__", "up", "job", "api");
    private static final Labels DOWN = Labels.of("__name__", "down", "job", "api");

    private static TenantHead head(Duration outOfOrderWindow, int maxSeries) {
        return new TenantHead("t", new HeadConfig(Duration.ofHours(2), outOfOrderWindow, maxSeries));
    }

    @Test
    void appendsAcrossChunksAndSelectsByTimeRange() {
        TenantHead head = head(Duration.ZERO, 10);
        for (int i = 0; i < 500; i++) {
            head.append(UP, i * 1000L, i);
        }
        assertThat(head.stats().chunks()).isEqualTo(5);
        assertThat(head.stats().samplesAppended()).isEqualTo(500);
        List<double[]> got = samples(head, 100_000, 250_000, equal("__name__", "up")).get(UP);
        assertThat(got).hasSize(151);
        assertThat(got.get(0)).containsExactly(100_000, 100);
        assertThat(got.get(150)).containsExactly(250_000, 250);
        assertThat(samples(head, 600_000, 700_000, equal("__name__", "up"))).isEmpty();
    }

    @Test
    void rejectsOutOfOrderAndDuplicatesWithoutAWindow() {
        TenantHead head = head(Duration.ZERO, 10);
        head.append(UP, 10_000, 1);
        head.append(UP, 20_000, 2);
        head.append(UP, 15_000, 9);
        head.append(UP, 20_000, 2);
        head.append(UP, 20_000, 3);
        head.append(UP, 20_000, Double.longBitsToDouble(0x7ff0000000000002L));
        assertThat(timestamps(head, UP)).containsExactly(10_000L, 20_000L);
        HeadStats stats = head.stats();
        assertThat(stats.samplesAppended()).isEqualTo(2);
        assertThat(stats.discarded(DiscardReason.OUT_OF_ORDER)).isEqualTo(1);
        assertThat(stats.discarded(DiscardReason.DUPLICATE_SAMPLE_FOR_TIMESTAMP)).isEqualTo(2);
    }

    @Test
    void samplesOlderThanTheRetentionAreTooOld() {
        TenantHead head = head(Duration.ZERO, 10);
        head.append(UP, 200 * MINUTE, 1);
        head.append(DOWN, 200 * MINUTE - 121 * MINUTE, 1);
        head.append(DOWN, 200 * MINUTE - 119 * MINUTE, 1);
        assertThat(head.stats().discarded(DiscardReason.TOO_OLD)).isEqualTo(1);
        assertThat(timestamps(head, DOWN)).containsExactly(81 * MINUTE);
    }

    @Test
    void acceptsOutOfOrderSamplesWithinTheWindow() {
        TenantHead head = head(Duration.ofMinutes(10), 10);
        head.append(DOWN, 100 * MINUTE, 0);
        for (int i = 0; i < 50; i += 2) {
            head.append(UP, 91 * MINUTE + i * 1000L, i);
        }
        for (int i = 49; i > 0; i -= 2) {
            head.append(UP, 91 * MINUTE + i * 1000L, i);
        }
        head.append(UP, 95 * MINUTE, 95);
        head.append(UP, 93 * MINUTE, 93);
        head.append(UP, 89 * MINUTE, 89);
        head.append(UP, 93 * MINUTE, 93);
        head.append(UP, 93 * MINUTE, 94);
        head.append(UP, 95 * MINUTE, 95);

        List<double[]> got = samples(head, Long.MIN_VALUE, Long.MAX_VALUE, equal("__name__", "up")).get(UP);
        List<Long> times = new ArrayList<>();
        for (double[] s : got) {
            times.add((long) s[0]);
            if (s[0] < 93 * MINUTE) {
                assertThat(s[1]).isEqualTo((s[0] - 91 * MINUTE) / 1000);
            }
        }
        assertThat(times).hasSize(52).isSorted().doesNotHaveDuplicates();
        assertThat(times).contains(93 * MINUTE, 95 * MINUTE).doesNotContain(89 * MINUTE);
        HeadStats stats = head.stats();
        assertThat(stats.discarded(DiscardReason.TOO_OLD)).isEqualTo(1);
        assertThat(stats.discarded(DiscardReason.DUPLICATE_SAMPLE_FOR_TIMESTAMP)).isEqualTo(1);
        assertThat(stats.discarded(DiscardReason.OUT_OF_ORDER)).isZero();
        assertThat(stats.samplesAppended()).isEqualTo(1 + 50 + 2);
    }

    @Test
    void outOfOrderSamplesBeyondOneChunkAreMergedInOrder() {
        TenantHead head = head(Duration.ofHours(1), 10);
        head.append(UP, 1_000_000, 0);
        for (int i = 999; i >= 0; i--) {
            head.append(UP, 1_000_000 - 1000 + i, i);
        }
        List<double[]> got = samples(head, 999_500, 999_599, equal("job", "api")).get(UP);
        assertThat(got).hasSize(100);
        for (int i = 0; i < 100; i++) {
            assertThat(got.get(i)).containsExactly(999_500 + i, 500 + i);
        }
        assertThat(head.stats().chunks()).isGreaterThan(30);
    }

    @Test
    void seriesLimitDiscardsSamplesOfNewSeries() {
        TenantHead head = head(Duration.ZERO, 2);
        for (int i = 0; i < 5; i++) {
            head.append(Labels.of("__name__", "m", "i", Integer.toString(i)), 1000, 1);
        }
        head.append(Labels.of("__name__", "m", "i", "0"), 2000, 1);
        assertThat(labels(head, equal("__name__", "m"))).hasSize(2);
        HeadStats stats = head.stats();
        assertThat(stats.series()).isEqualTo(2);
        assertThat(stats.samplesAppended()).isEqualTo(3);
        assertThat(stats.discarded(DiscardReason.PER_USER_SERIES_LIMIT)).isEqualTo(3);
    }

    @Test
    void gcDropsOldChunksThenSeriesAndTheirPostings() {
        TenantHead head = head(Duration.ZERO, 100);
        Labels old = Labels.of("__name__", "old", "pod", "a");
        for (int i = 0; i < 240; i++) {
            head.append(old, i * MINUTE, i);
            head.append(UP, i * MINUTE, i);
        }
        head.append(UP, 400 * MINUTE, 0);
        assertThat(head.stats().chunks()).isEqualTo(2 + 3);

        assertThat(head.gc()).isEqualTo(1);
        assertThat(labels(head, equal("__name__", "old"))).isEmpty();
        assertThat(head.querier().labelNames(List.of())).containsExactly("__name__", "job");
        assertThat(head.querier().labelValues("__name__", List.of())).containsExactly("up");
        assertThat(timestamps(head, UP)).containsExactly(400 * MINUTE);
        HeadStats stats = head.stats();
        assertThat(stats.series()).isEqualTo(1);
        assertThat(stats.chunks()).isEqualTo(1);

        // The collected series comes back as a new series.
        head.append(old, 401 * MINUTE, 1);
        assertThat(labels(head, equal("pod", "a"))).containsExactly(old);
        assertThat(head.stats().series()).isEqualTo(2);
    }

    @Test
    void gcOfManySeriesKeepsTheRestFindable() {
        TenantHead head = head(Duration.ZERO, 100_000);
        for (int parity = 0; parity < 2; parity++) {
            for (int i = parity; i < 20_000; i += 2) {
                head.append(Labels.of("__name__", "m", "i", Integer.toString(i)), parity * 10 * 3_600_000L, i);
            }
        }
        assertThat(head.gc()).isEqualTo(10_000);
        for (int i = 0; i < 20_000; i++) {
            int ref = head.refOf(Labels.of("__name__", "m", "i", Integer.toString(i)));
            if (ref != (i % 2 == 0 ? 20_000 + i / 2 : 10_000 + i / 2)) {
                throw new AssertionError("series " + i + " has reference " + ref);
            }
        }
        assertThat(labels(head, equal("__name__", "m"))).hasSize(10_000);
        assertThat(head.querier().labelValues("i", List.of())).hasSize(20_000);
        assertThat(head.stats().series()).isEqualTo(20_000);
    }

    @Test
    void gcOfMostSeriesForgetsTheirStringsAndKeepsTheRest() {
        TenantHead head = head(Duration.ZERO, 100);
        Labels live = Labels.of("__name__", "live", "pod", "keep");
        for (int i = 0; i < 9; i++) {
            head.append(Labels.of("__name__", "gone", "pod", "p" + i), 0, i);
        }
        head.append(live, 0, 1);
        head.append(live, 5 * 3_600_000L, 2);
        int liveRef = head.refOf(live);

        assertThat(head.gc()).isEqualTo(9);
        assertThat(head.refOf(live)).isEqualTo(liveRef);
        assertThat(head.intern("keep")).isSameAs(labels(head, equal("pod", "keep")).get(0).get("pod"));
        head.append(Labels.of("__name__", "gone", "pod", "p3"), 5 * 3_600_000L, 3);
        assertThat(labels(head, equal("__name__", "gone"))).containsExactly(Labels.of("__name__", "gone", "pod", "p3"));
        assertThat(head.stats().series()).isEqualTo(2);
    }

    @Test
    void keepsHistogramsAndSwitchesChunkTypes() {
        TenantHead head = head(Duration.ZERO, 10);
        Histogram h = Histogram.newBuilder().setCountInt(3).setSum(4.5).setSchema(0).setTimestamp(2000).build();
        int ref = head.refOf(UP);
        head.append(ref, 1000, 1);
        head.appendHistogram(ref, 2000, h);
        head.appendHistogram(ref, 2000, h);
        head.appendHistogram(ref, 1500, h);
        head.append(ref, 3000, 3);
        SeriesSet set = head.querier().select(0, 10_000, List.of(equal("job", "api")));
        assertThat(set.next()).isTrue();
        SampleIterator it = set.samples();
        assertThat(it.next()).isEqualTo(ValueType.FLOAT);
        assertThat(it.next()).isEqualTo(ValueType.HISTOGRAM);
        assertThat(it.histogram()).isEqualTo(h);
        assertThat(it.next()).isEqualTo(ValueType.FLOAT);
        assertThat(it.value()).isEqualTo(3);
        assertThat(it.next()).isEqualTo(ValueType.NONE);
        assertThat(head.stats().discarded(DiscardReason.OUT_OF_ORDER)).isEqualTo(1);
        assertThat(head.stats().chunks()).isEqualTo(3);
    }

    @Test
    void keepsMetadataPerFamily() {
        TenantHead head = head(Duration.ZERO, 10);
        head.setMetadata(new MetricMetadata("up", "gauge", "Whether it is up.", ""));
        head.setMetadata(new MetricMetadata("reqs", "counter", "Requests.", "requests"));
        head.setMetadata(new MetricMetadata("up", "gauge", "Whether the target is up.", ""));
        assertThat(head.querier().metadata("up")).containsExactly(new MetricMetadata("up", "gauge", "Whether the target is up.", ""));
        assertThat(head.querier().metadata(null)).extracting(MetricMetadata::family).containsExactly("reqs", "up");
        assertThat(head.querier().metadata("nope")).isEmpty();
    }

    @Test
    void unsortedLabelsFindTheSameSeries() {
        TenantHead head = head(Duration.ZERO, 10);
        String[] sorted = {head.intern("a"), head.intern("1"), head.intern("b"), head.intern("2")};
        String[] unsorted = {head.intern("b"), head.intern("2"), head.intern("a"), head.intern("1"), head.intern("c"), head.intern("")};
        assertThat(head.seriesRef(unsorted, 6)).isEqualTo(head.seriesRef(sorted, 4));
        assertThatThrownBy(() -> head.seriesRef(new String[] {"a", "1", "a", "2"}, 4))
                .hasMessageContaining("label name \"a\" appears more than once");
    }
}
