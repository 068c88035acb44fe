package dev.runnel.ingester.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.ingester.labels.LabelMatcher;
import dev.runnel.ingester.labels.Labels;
import dev.runnel.ingester.query.MetricMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PipelinedAppenderTest {

    private static final LabelMatcher ANY = LabelMatcher.regex("__name__", ".+");

    private final PipelinedAppender appender = new PipelinedAppender("test-appender");

    @AfterEach
    void close() {
        appender.close();
    }

    private static TenantHead head(int maxSeries) {
        return new TenantHead("t", new HeadConfig(Duration.ofHours(2), Duration.ZERO, maxSeries));
    }

    private static void series(Appender appender, TenantHead head, String... pairs) {
        String[] interned = new String[pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            interned[i] = head.intern(pairs[i]);
        }
        appender.series(head, interned, interned.length, Labels.hash(interned, interned.length));
    }

    /** Many times the ring of batches, series interleaved: every sample arrives, each series' in order. */
    @Test
    void appliesEverythingInOrderAcrossBatches() {
        TenantHead head = head(100);
        int rounds = PipelinedAppender.BATCHES * PipelinedAppender.BATCH_SIZE;
        for (int t = 1; t <= rounds; t++) {
            for (int s = 0; s < 3; s++) {
                series(appender, head, "__name__", "m", "s", Integer.toString(s));
                appender.append(t * 1000L, t + s);
            }
        }
        appender.awaitApplied();

        assertThat(head.seriesCount()).isEqualTo(3);
        assertThat(head.samplesAppended()).isEqualTo(3L * rounds);
        assertThat(head.discarded(DiscardReason.OUT_OF_ORDER)).isZero();
        List<double[]> samples = HeadTestSupport.samples(head, Long.MIN_VALUE, Long.MAX_VALUE, ANY).get(Labels.of("__name__", "m", "s", "2"));
        assertThat(samples).hasSize(rounds);
        assertThat(samples.get(rounds - 1)).containsExactly(rounds * 1000.0, rounds + 2);
    }

    @Test
    void appliesAsTheHeadWouldDirectly() {
        TenantHead pipelined = head(1);
        TenantHead direct = head(1);
        for (TenantHead head : List.of(pipelined, direct)) {
            Appender a = head == pipelined ? appender : Appender.direct();
            series(a, head, "__name__", "up");
            a.append(2000, 1);
            a.append(1000, 1); // out of order
            a.append(2000, 2); // duplicate
            series(a, head, "__name__", "down"); // beyond the series limit
            a.append(2000, 1);
            a.setMetadata(head, new MetricMetadata("up", "gauge", "Whether it is up.", ""));
        }
        appender.awaitApplied();

        for (TenantHead head : List.of(pipelined, direct)) {
            assertThat(head.samplesAppended()).isEqualTo(1);
            assertThat(head.discarded(DiscardReason.OUT_OF_ORDER)).isEqualTo(1);
            assertThat(head.discarded(DiscardReason.DUPLICATE_SAMPLE_FOR_TIMESTAMP)).isEqualTo(1);
            assertThat(head.discarded(DiscardReason.PER_USER_SERIES_LIMIT)).isEqualTo(1);
            assertThat(head.querier().metadata("up")).extracting(MetricMetadata::help).containsExactly("Whether it is up.");
            assertThat(head.maxTime()).isEqualTo(2000);
        }
    }

    @Test
    void aFailedAppendIsReportedOnceAndTheOthersApplied() {
        TenantHead head = head(10);
        series(appender, head, "__name__", "up");
        appender.append(1000, 1);
        appender.appendHistogram(2000, null);
        appender.append(3000, 1);

        assertThatThrownBy(appender::awaitApplied)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("test-appender");
        assertThat(head.samplesAppended()).isEqualTo(2);
        appender.awaitApplied(); // reported once
    }

    /** Labels handed over are copied: the caller may reuse its array at once. */
    @Test
    void copiesTheLabels() {
        TenantHead head = head(10);
        String[] pairs = {head.intern("__name__"), head.intern("a")};
        List<Labels> expected = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            pairs[1] = head.intern(name);
            appender.series(head, pairs, 2, Labels.hash(pairs, 2));
            appender.append(1000, 1);
            expected.add(Labels.of("__name__", name));
        }
        appender.awaitApplied();

        assertThat(HeadTestSupport.labels(head, ANY)).containsExactlyElementsOf(expected);
    }
}
