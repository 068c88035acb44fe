package dev.runnel.loadgen.series;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SampleSequenceTest {
    private static final Duration INTERVAL = Duration.ofSeconds(15);
    private static final long FIRST = 1_700_000_000_000L;

    @Test
    void everySampleAGeneratorHandsOutIsTheSequencesAtItsPositionChurnIncluded() {
        // 600 churn events per minute of the fake clock: a few per request
        SeriesGenerator g = new SeriesGenerator(1, 2, 3, 100, 5, 600, INTERVAL, FIRST, 0);
        SampleSequence s = g.sequence();
        Batch batch = new Batch(13);
        long position = 0;
        for (int request = 0; request < 50; request++) {
            g.next(13, request * 300_000_000L, batch);
            assertThat(batch.sequence()).isSameAs(s);
            assertThat(batch.firstPosition()).isEqualTo(position);
            assertThat(batch.churned()).isEqualTo(g.churned());
            for (int i = 0; i < batch.size(); i++, position++) {
                long id = s.seriesId(position, batch.churned());
                assertThat(batch.series(i).toString()).isEqualTo(s.series(id).toString());
                assertThat(batch.timestamp(i)).isEqualTo(s.timestamp(position));
                assertThat(batch.value(i)).isEqualTo(s.value(position));
                assertThat(s.position(id, batch.timestamp(i))).isEqualTo(position);
                assertThat(SampleSequence.shardOf(id, 100, 3)).isEqualTo(2);
                assertThat(SampleSequence.seriesId(batch.series(i).get("__name__"), batch.series(i).get("instance")))
                        .isEqualTo(id);
            }
        }
        assertThat(g.churned()).isGreaterThan(s.owned());
        assertThat(g.position()).isEqualTo(position);
    }

    @Test
    void positionIsMinusOneForSamplesTheSequenceNeverSends() {
        SampleSequence s = new SampleSequence(0, 1, 3, 100, 4, INTERVAL, FIRST);
        long id = 4; // slot 4: shard 1
        long t = s.timestamp(s.position(id, FIRST + 15_000 + s.offsetMillis(4)));
        assertThat(t).isEqualTo(FIRST + 15_000 + s.offsetMillis(4));
        assertThat(s.position(id, t + 1)).as("off the scrape grid").isEqualTo(-1);
        assertThat(s.position(id, FIRST - 15_000 + s.offsetMillis(4))).as("before the first round").isEqualTo(-1);
        assertThat(s.position(5, FIRST + s.offsetMillis(5))).as("slot of shard 2").isEqualTo(-1);
        assertThat(s.position(-1, FIRST)).isEqualTo(-1);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 19, 20, 12_345, 20L * 65_536 + 7, 20L * (1 << 24) + 3, 20L * (5L << 24) + 19})
    void seriesIdIsTheInverseOfTheLabelSet(long id) {
        Series s = LabelSets.of(id, 10);
        assertThat(SampleSequence.seriesId(s.get("__name__"), s.get("instance"))).isEqualTo(id);
    }

    @Test
    void seriesIdIsMinusOneForLabelsLoadgenNeverMakes() {
        assertThat(SampleSequence.seriesId("up", "10.0.0.300:9100")).isEqualTo(-1);
        assertThat(SampleSequence.seriesId("up", "10.0.1:9100")).isEqualTo(-1);
        assertThat(SampleSequence.seriesId("up", "192.168.0.1:9100")).isEqualTo(-1);
        assertThat(SampleSequence.seriesId("not_a_loadgen_metric", "10.0.0.1:9100")).isEqualTo(-1);
        assertThat(SampleSequence.seriesId("up", null)).isEqualTo(-1);
        assertThat(SampleSequence.seriesId(null, "10.0.0.1:9100")).isEqualTo(-1);
        assertThat(SampleSequence.seriesId("up", "10.0.0.1:9100/x")).isEqualTo(-1);
        assertThat(SampleSequence.seriesId("up", "10.0.0.1:9100x")).isEqualTo(-1);
    }
}
