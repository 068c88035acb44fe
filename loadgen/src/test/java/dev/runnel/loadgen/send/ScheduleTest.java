package dev.runnel.loadgen.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScheduleTest {
    @Test
    void shardsInterleaveAtTheFixedRate() {
        // 100 requests/s over 4 shards: every 10 ms one shard starts; each shard every 40 ms
        Schedule s0 = Schedule.fixedRate(1_000, 100, 0, 4);
        Schedule s1 = Schedule.fixedRate(1_000, 100, 1, 4);
        assertThat(s0.next(0)).isEqualTo(1_000);
        assertThat(s0.next(0)).isEqualTo(1_000 + 40_000_000);
        assertThat(s0.next(0)).isEqualTo(1_000 + 80_000_000);
        assertThat(s1.next(0)).isEqualTo(1_000 + 10_000_000);
        assertThat(s1.next(0)).isEqualTo(1_000 + 50_000_000);
    }

    @Test
    void aShardThatFellBehindKeepsTheIntendedTimesAndCatchesUp() {
        Schedule s = Schedule.fixedRate(0, 10, 0, 1);
        assertThat(s.next(0)).isEqualTo(0);
        // the first answer took 1 s: the next nine intended starts are already past and are not moved to "now"
        long now = 1_000_000_000L;
        for (int k = 1; k <= 10; k++) {
            long intended = s.next(now);
            assertThat(intended).isEqualTo(k * 100_000_000L);
            assertThat(now - intended).isEqualTo((10 - k) * 100_000_000L);
        }
        assertThat(s.next(now)).isGreaterThan(now);
    }

    @Test
    void fractionalPeriodsDoNotDrift() {
        Schedule s = Schedule.fixedRate(0, 3, 0, 1);
        for (int k = 0; k < 3_000; k++) {
            s.next(0);
        }
        // request 3000 at 3/s is meant for 1000 s after the start, to the nanosecond
        assertThat(s.next(0)).isBetween(999_999_999_999L, 1_000_000_000_001L);
    }

    @Test
    void closedLoopStartsNow() {
        Schedule s = Schedule.closedLoop();
        assertThat(s.isClosedLoop()).isTrue();
        assertThat(s.next(42)).isEqualTo(42);
        assertThat(s.next(99)).isEqualTo(99);
    }

    @Test
    void rejectsBadRates() {
        assertThatThrownBy(() -> Schedule.fixedRate(0, 0, 0, 1)).hasMessageContaining("positive");
        assertThatThrownBy(() -> Schedule.fixedRate(0, 1, 2, 2)).hasMessageContaining("shard 2 is not in [0, 2)");
    }
}
