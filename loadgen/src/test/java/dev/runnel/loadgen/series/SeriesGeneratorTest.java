package dev.runnel.loadgen.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SeriesGeneratorTest {
    private static final Duration INTERVAL = Duration.ofSeconds(15);
    private static final long FIRST = 1_700_000_000_000L;

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 10, 22, 30})
    void labelSetsHaveTheAskedCountSortedWithMetricNameAndInstance(int labels) {
        Series s = LabelSets.of(12345, labels);
        assertThat(s.labelCount()).isEqualTo(labels);
        assertThat(s.name(0)).isEqualTo("__name__");
        assertThat(LabelSets.METRICS).contains(s.value(0));
        assertThat(s.get("instance")).matches("10\\.\\d+\\.\\d+\\.\\d+:9100");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < labels; i++) {
            names.add(s.name(i));
            assertThat(s.name(i)).matches("[a-zA-Z_][a-zA-Z0-9_]*");
            assertThat(s.value(i)).isNotEmpty();
        }
        assertThat(names).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void tenLabelsLookLikeAKubernetesTarget() {
        Series s = LabelSets.of(7, 10);
        for (int i = 0; i < 10; i++) {
            assertThat(s.name(i)).isIn("__name__", "instance", "job", "namespace", "pod", "container", "node",
                    "cluster", "region", "zone");
        }
        assertThat(s.get("job")).isEqualTo("kubernetes-pods");
    }

    @Test
    void rejectsFewerThanTwoLabels() {
        assertThatThrownBy(() -> LabelSets.of(1, 1)).hasMessageContaining("at least 2");
    }

    @Test
    void shardsTogetherSendEveryTenantSeriesOnceUniquely() {
        int shards = 3;
        int tenantSeries = 1000;
        Set<String> seen = new HashSet<>();
        Batch batch = new Batch(5000);
        for (int shard = 0; shard < shards; shard++) {
            SeriesGenerator g = new SeriesGenerator(0, shard, shards, tenantSeries, 10, 0, INTERVAL, FIRST, 0);
            g.next(g.activeSeries(), 0, batch);
            for (int i = 0; i < batch.size(); i++) {
                assertThat(seen.add(batch.series(i).toString())).as("duplicate %s", batch.series(i)).isTrue();
            }
        }
        assertThat(seen).hasSize(tenantSeries);
    }

    @Test
    void everySeriesGetsOneSamplePerScrapeIntervalWithStrictlyIncreasingTimestamps() {
        SeriesGenerator g = new SeriesGenerator(1, 1, 2, 101, 4, 0, INTERVAL, FIRST, 0);
        assertThat(g.activeSeries()).isEqualTo(50);
        Batch batch = new Batch(37);
        Map<String, List<Long>> timestamps = new HashMap<>();
        for (int request = 0; request < 40; request++) {
            g.next(37, 0, batch);
            assertThat(batch.tenant()).isEqualTo(1);
            for (int i = 0; i < batch.size(); i++) {
                timestamps.computeIfAbsent(batch.series(i).toString(), k -> new ArrayList<>()).add(batch.timestamp(i));
            }
        }
        assertThat(timestamps).hasSize(50);
        // 40 x 37 = 1,480 samples = 29 full rounds of 50 and 30 more
        assertThat(g.dataClockMillis()).isEqualTo(FIRST + 29 * INTERVAL.toMillis());
        timestamps.forEach((series, ts) -> {
            assertThat(ts).hasSizeGreaterThanOrEqualTo(29);
            assertThat(ts.get(0)).isBetween(FIRST, FIRST + INTERVAL.toMillis() - 1);
            for (int i = 1; i < ts.size(); i++) {
                assertThat(ts.get(i) - ts.get(i - 1)).as(series).isEqualTo(INTERVAL.toMillis());
            }
        });
    }

    @Test
    void churnReplacesSeriesAtTheAskedRateWithNewUniqueOnes() {
        long minute = Duration.ofMinutes(1).toNanos();
        SeriesGenerator g = new SeriesGenerator(0, 0, 1, 100, 6, 30, INTERVAL, FIRST, 0);
        Batch batch = new Batch(100);
        g.next(100, 0, batch);
        Set<String> before = names(batch);
        g.next(100, minute, batch);
        assertThat(g.churned()).isEqualTo(30);
        Set<String> after = names(batch);
        assertThat(after).hasSize(100);
        Set<String> kept = new HashSet<>(after);
        kept.retainAll(before);
        assertThat(kept).hasSize(70);
        g.next(100, minute / 2 * 3, batch);
        assertThat(g.churned()).isEqualTo(45);
    }

    @Test
    void churnedSeriesStayUniqueOverManyGenerations() {
        SeriesGenerator g = new SeriesGenerator(0, 0, 1, 10, 3, 600, INTERVAL, FIRST, 0);
        Batch batch = new Batch(10);
        Set<String> all = new HashSet<>();
        for (int second = 0; second <= 10; second++) {
            g.next(10, Duration.ofSeconds(second).toNanos(), batch);
            all.addAll(names(batch));
        }
        // 10 original series + 100 replacements, all distinct
        assertThat(g.churned()).isEqualTo(100);
        assertThat(all).hasSize(110);
    }

    private static Set<String> names(Batch batch) {
        Set<String> s = new HashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            s.add(batch.series(i).toString());
        }
        return s;
    }
}
