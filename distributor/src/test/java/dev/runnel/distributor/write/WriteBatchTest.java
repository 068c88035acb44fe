package dev.runnel.distributor.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.distributor.sharding.SeriesHash;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WriteBatchTest {

    @Test
    void aRemovedLabelIsGoneForEveryReader() {
        WriteBatch batch = WriteBatch.builder()
                .startSeries().label("__name__", "up").label("__replica__", "r1").label("job", "a").sample(1, 1).endSeries()
                .startSeries().label("__name__", "up").label("job", "b").sample(1, 1).endSeries()
                .build();
        WriteBatch without = WriteBatch.builder()
                .startSeries().label("__name__", "up").label("job", "a").sample(1, 1).endSeries().build();

        batch.removeLabel(0, batch.labelIndex(0, "__replica__".getBytes(StandardCharsets.UTF_8)));

        assertThat(batch.labelCount(0)).isEqualTo(2);
        assertThat(batch.labelValue(0, "__replica__")).isNull();
        assertThat(batch.labelValue(0, "job")).isEqualTo("a");
        assertThat(batch.describe(0)).isEqualTo("up{job=\"a\"}");
        assertThat(SeriesHash.of("t", batch, 0)).isEqualTo(SeriesHash.of("t", without, 0));
        assertThat(batch.describe(1)).isEqualTo("up{job=\"b\"}");
        assertThat(batch.firstLabel(1)).isEqualTo(3);
    }

    @Test
    void everyLabelStringIsHashedOnceAndItsHashFollowsRemovals() {
        WriteBatch batch = WriteBatch.builder()
                .startSeries().label("__name__", "up").label("a", "").label("job", "node").endSeries().build();

        batch.removeLabel(0, 1);

        for (int l = batch.firstLabel(0); l < batch.labelCount(0); l++) {
            byte[] name = batch.labelName(l).getBytes(StandardCharsets.UTF_8);
            byte[] value = batch.labelValue(l).getBytes(StandardCharsets.UTF_8);
            assertThat(batch.nameHash(l)).isEqualTo(ByteHashing.hash(name, 0, name.length));
            assertThat(batch.valueHash(l)).isEqualTo(ByteHashing.hash(value, 0, value.length));
        }
        assertThat(batch.labelValue(1)).isEqualTo("node");
    }

    @Test
    void onlyTheSeriesOwnLabelsCanBeRemoved() {
        WriteBatch batch = WriteBatch.builder()
                .startSeries().label("__name__", "a").endSeries()
                .startSeries().label("__name__", "b").endSeries().build();

        assertThatThrownBy(() -> batch.removeLabel(0, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        batch.removeLabel(0, 0);
        assertThatThrownBy(() -> batch.removeLabel(0, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(batch.metricName(1)).isEqualTo("b");
    }

    @Test
    void countsDoNotCreateLists() {
        WriteBatch batch = WriteBatch.builder().startSeries().label("__name__", "a").endSeries().build();
        assertThat(batch.histogramCount(0)).isZero();
        assertThat(batch.exemplarCount(0)).isZero();
        assertThat(batch.histograms[0]).isNull();
    }

    @Test
    void theNextBatchOnTheThreadReusesAReleasedBatchsArraysAndHoldsOnlyItsOwnSeries() {
        WriteBatchBuilder big = WriteBatch.builder();
        for (int s = 0; s < 40; s++) {
            big.startSeries().label("__name__", "big").label("job", "j" + s).sample(s, s).histogram(
                    dev.runnel.proto.prometheus.write.v2.Histogram.getDefaultInstance()).endSeries();
        }
        WriteBatch first = big.build();
        first.dropSeries(3);
        first.release();

        WriteBatch second = WriteBatch.builder()
                .startSeries().label("job", "b").label("__name__", "small").sample(7, 2.5).endSeries().build();

        assertThat(second.nameOffset).isSameAs(first.nameOffset);
        assertThat(second.timestamps).isSameAs(first.timestamps);
        assertThat(second.seriesCount()).isEqualTo(1);
        assertThat(second.describe(0)).isEqualTo("small{job=\"b\"}");
        assertThat(second.nameHash(second.firstLabel(0))).isEqualTo(ByteHashing.hash("__name__".getBytes(), 0, 8));
        assertThat(second.histogramCount(0)).isZero();
        assertThat(second.isDropped(0)).isFalse();
        assertThat(second.totalSamples()).isEqualTo(1);
        assertThat(second.value(second.sampleStart(0))).isEqualTo(2.5);
    }

    @Test
    void aBatchReleasedTwiceHandsItsArraysToOneBatchOnly() {
        WriteBatch first = WriteBatch.builder().startSeries().label("__name__", "a").sample(1, 1).endSeries().build();
        first.release();
        first.release();

        WriteBatch second = WriteBatch.builder().startSeries().label("__name__", "b").sample(1, 1).endSeries().build();
        WriteBatch third = WriteBatch.builder().startSeries().label("__name__", "c").sample(1, 1).endSeries().build();

        assertThat(third.nameOffset).isNotSameAs(second.nameOffset);
        assertThat(second.metricName(0)).isEqualTo("b");
        assertThat(third.metricName(0)).isEqualTo("c");
    }

    /** Names sharing prefixes of every length, in random order: sorted by unsigned bytes, as Prometheus compares strings. */
    @Test
    void labelsAreSortedByNameBytes() {
        java.util.Random random = new java.util.Random(7);
        String alphabet = "ab_\u00e9Z";
        for (int round = 0; round < 500; round++) {
            java.util.Set<String> names = new java.util.HashSet<>();
            while (names.size() < 1 + random.nextInt(8)) {
                StringBuilder name = new StringBuilder(random.nextBoolean() ? "" : "long_common_prefix");
                for (int i = random.nextInt(12); i > 0; i--) {
                    name.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                names.add(name.toString());
            }
            java.util.List<String> shuffled = new java.util.ArrayList<>(names);
            java.util.Collections.shuffle(shuffled, random);
            WriteBatchBuilder builder = WriteBatch.builder().startSeries();
            shuffled.forEach(n -> builder.label(n, "v"));
            WriteBatch batch = builder.endSeries().build();

            java.util.List<String> expected = new java.util.ArrayList<>(names);
            expected.sort((x, y) -> java.util.Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8)));
            java.util.List<String> sorted = new java.util.ArrayList<>();
            for (int l = batch.firstLabel(0); l < batch.firstLabel(0) + batch.labelCount(0); l++) {
                sorted.add(batch.labelName(l));
            }
            assertThat(sorted).isEqualTo(expected);
        }
    }

    @Test
    void aHugeBatchIsNotKeptForTheNext() {
        WriteBatchBuilder builder = WriteBatch.builder().startSeries();
        for (int l = 0; l <= 1 << 18; l++) {
            builder.label("a", "b");
        }
        WriteBatch huge = builder.endSeries().build();
        huge.release();

        WriteBatch next = WriteBatch.builder().startSeries().label("__name__", "a").endSeries().build();

        assertThat(next.nameOffset).isNotSameAs(huge.nameOffset);
    }
}
