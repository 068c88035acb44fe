package dev.runnel.ingester.head;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.ingester.labels.Labels;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SeriesTableTest {

    /** Random adds and removes against a HashMap: removal by shifting back keeps every entry findable. */
    @Test
    void behavesLikeAMapUnderRandomAddsAndRemoves() {
        SeriesTable table = new SeriesTable();
        Map<Labels, MemSeries> expected = new HashMap<>();
        Random random = new Random(7);
        int ref = 0;
        for (int step = 0; step < 200_000; step++) {
            Labels labels = Labels.of("k", Integer.toString(random.nextInt(5000)));
            String[] pairs = {labels.name(0), labels.value(0)};
            MemSeries found = table.get(pairs, 2, labels.hash());
            assertThat(found).isSameAs(expected.get(labels));
            if (found == null) {
                MemSeries s = new MemSeries(ref++, pairs.clone(), labels.hash());
                table.add(s);
                expected.put(labels, s);
            } else if (random.nextBoolean()) {
                table.remove(found);
                expected.remove(labels);
            }
            assertThat(table.size()).isEqualTo(expected.size());
        }
    }
}
