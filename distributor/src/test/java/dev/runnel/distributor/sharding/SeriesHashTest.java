package dev.runnel.distributor.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.distributor.write.WriteBatch;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SeriesHashTest {

    /**
     * Pinned values: the series hash decides which partition holds a series, so a change here
     * moves every series. Do not update these numbers unless the hash is meant to change.
     */
    @Test
    void theHashIsPinned() {
        assertThat(SeriesHash.of("tenant-1", series("__name__", "up", "job", "node"), 0)).isEqualTo(PINNED_UP);
        assertThat(SeriesHash.of("t", series("__name__", "http_requests_total", "code", "200", "method", "GET"), 0))
                .isEqualTo(PINNED_REQUESTS);
        assertThat(SeriesHash.ofMetricName("tenant-1", "up")).isEqualTo(PINNED_METRIC_NAME);
    }

    @Test
    void dependsOnTheTenantAndEveryLabel() {
        int base = SeriesHash.of("a", series("__name__", "up", "job", "x"), 0);
        assertThat(SeriesHash.of("b", series("__name__", "up", "job", "x"), 0)).isNotEqualTo(base);
        assertThat(SeriesHash.of("a", series("__name__", "up", "job", "y"), 0)).isNotEqualTo(base);
        assertThat(SeriesHash.of("a", series("__name__", "up", "jobs", "x"), 0)).isNotEqualTo(base);
        assertThat(SeriesHash.of("a", series("__name__", "up"), 0)).isNotEqualTo(base);
    }

    @Test
    void isAFunctionOfTheSortedLabelsOnly() {
        WriteBatch sorted = series("__name__", "up", "job", "x");
        WriteBatch unsorted = series("job", "x", "__name__", "up");
        // The same labels at other places of a body's text.
        byte[] text = "..job..x..__name__..up".getBytes(StandardCharsets.UTF_8);
        WriteBatch inPlace = WriteBatch.builder(text).startSeries().label(10, 8, 20, 2).label(2, 3, 7, 1).endSeries().build();

        int hash = SeriesHash.of("t", sorted, 0);
        assertThat(SeriesHash.of("t", unsorted, 0)).isEqualTo(hash);
        assertThat(SeriesHash.of("t", inPlace, 0)).isEqualTo(hash);
        assertThat(SeriesHash.of(SeriesHash.ofTenant("t"), sorted, 0)).isEqualTo(hash);
    }

    @Test
    void metadataGoesWhereItsNameOnlySeriesGoes() {
        assertThat(SeriesHash.ofMetricName("t", "up")).isEqualTo(SeriesHash.of("t", series("__name__", "up"), 0));
    }

    private static final int PINNED_UP = -697896407;
    private static final int PINNED_REQUESTS = 1995933260;
    private static final int PINNED_METRIC_NAME = 371198677;

    private static WriteBatch series(String... labels) {
        var builder = WriteBatch.builder().startSeries();
        for (int i = 0; i < labels.length; i += 2) {
            builder.label(labels[i], labels[i + 1]);
        }
        return builder.sample(1, 1).endSeries().build();
    }
}
