package dev.runnel.distributor.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.distributor.write.MetricMetadata;
import dev.runnel.distributor.write.WriteBatch;
import dev.runnel.distributor.write.WriteBatchBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SharderTest {

    private static WriteBatch batch(int series) {
        WriteBatchBuilder b = WriteBatch.builder();
        for (int s = 0; s < series; s++) {
            b.startSeries().label("__name__", "m").label("i", Integer.toString(s)).sample(1, s).endSeries();
        }
        return b.metadata(new MetricMetadata("m", MetricMetadata.Type.GAUGE, "", "")).build();
    }

    @Test
    void everyKeptSeriesIsInExactlyItsPartition() {
        TopicPartitions partitions = new TopicPartitions(5);
        Sharder sharder = new Sharder(partitions);
        WriteBatch batch = batch(200);
        batch.dropSeries(7);
        batch.dropSeries(150);

        sharder.shard("t", batch);

        Map<Integer, Integer> partitionOf = new HashMap<>();
        for (int i = 0; i < sharder.partitions(); i++) {
            for (int s : Arrays.copyOf(sharder.series(i), sharder.seriesCount(i))) {
                assertThat(partitionOf.put(s, sharder.partition(i))).isNull();
                assertThat(sharder.partition(i)).isEqualTo(partitions.partitionFor("t", SeriesHash.of("t", batch, s)));
            }
        }
        assertThat(partitionOf).hasSize(198).doesNotContainKeys(7, 150);
        assertThat(sharder.partitions()).isEqualTo(5);
    }

    @Test
    void metadataGoesWithItsFamilyAndTheArraysAreResetBetweenRequests() {
        Sharder sharder = new Sharder((tenant, hash) -> hash == SeriesHash.ofMetricName("t", "m") ? 9 : 2);
        sharder.shard("t", batch(50));
        sharder.shard("t", batch(3));

        List<Integer> touched = new ArrayList<>();
        for (int i = 0; i < sharder.partitions(); i++) {
            touched.add(sharder.partition(i));
        }
        assertThat(touched).containsExactly(2, 9);
        assertThat(sharder.seriesCount(0)).isEqualTo(3);
        assertThat(sharder.metadata(0)).isEmpty();
        assertThat(sharder.seriesCount(1)).isZero();
        assertThat(sharder.metadata(1)).extracting(MetricMetadata::family).containsExactly("m");
    }

    @Test
    void topicPartitionsCoverTheHashSpaceEvenly() {
        TopicPartitions partitions = new TopicPartitions(4);
        assertThat(partitions.partitionFor("t", 0)).isZero();
        assertThat(partitions.partitionFor("t", 0x3FFFFFFF)).isZero();
        assertThat(partitions.partitionFor("t", 0x40000000)).isEqualTo(1);
        assertThat(partitions.partitionFor("t", Integer.MIN_VALUE)).isEqualTo(2);
        assertThat(partitions.partitionFor("t", -1)).isEqualTo(3);
    }
}
