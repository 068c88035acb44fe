package dev.runnel.loadgen.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PositionRangesTest {
    @Test
    void consecutiveRangesMergeAndGapsStay() {
        PositionRanges r = new PositionRanges();
        for (long p = 0; p < 10_000; p += 100) {
            r.add(p, p + 100);
        }
        r.add(10_200, 10_300); // a request in between was never acknowledged
        r.add(10_300, 10_301);
        r.add(20_000, 20_000); // empty: ignored

        assertThat(r.ranges()).isEqualTo(2);
        assertThat(r.count()).isEqualTo(10_101);
        assertThat(r.contains(0)).isTrue();
        assertThat(r.contains(9_999)).isTrue();
        assertThat(r.contains(10_000)).isFalse();
        assertThat(r.contains(10_199)).isFalse();
        assertThat(r.contains(10_200)).isTrue();
        assertThat(r.contains(10_300)).isTrue();
        assertThat(r.contains(10_301)).isFalse();
        assertThat(r.contains(-1)).isFalse();
    }

    @Test
    void manyGapsGrowTheArrays() {
        PositionRanges r = new PositionRanges();
        for (long p = 0; p < 1_000; p += 10) {
            r.add(p, p + 5);
        }
        assertThat(r.ranges()).isEqualTo(100);
        assertThat(r.contains(990)).isTrue();
        assertThat(r.contains(994)).isTrue();
        assertThat(r.contains(995)).isFalse();
        assertThat(r.contains(999)).isFalse();
    }

    @Test
    void refusesRangesOutOfOrder() {
        PositionRanges r = new PositionRanges();
        r.add(100, 200);
        assertThatThrownBy(() -> r.add(150, 300)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("begins before 200");
    }

    @Test
    void churnStepsAnswerTheCountInForceAtAPosition() {
        ChurnSteps steps = new ChurnSteps();
        steps.record(0, 0);
        steps.record(100, 0);
        steps.record(200, 3);
        steps.record(300, 3);
        for (int i = 0; i < 10; i++) {
            steps.record(400 + i * 100, 4 + i);
        }

        assertThat(steps.at(0)).isZero();
        assertThat(steps.at(199)).isZero();
        assertThat(steps.at(200)).isEqualTo(3);
        assertThat(steps.at(399)).isEqualTo(3);
        assertThat(steps.at(400)).isEqualTo(4);
        assertThat(steps.at(1_350)).isEqualTo(13);
        assertThatThrownBy(() -> steps.record(50, 20)).isInstanceOf(IllegalStateException.class);
    }
}
