package dev.runnel.ingester.consume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.log.metadata.ManualTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressTest {

    private final ManualTime time = new ManualTime();
    private final Progress progress = new Progress(time);

    @Test
    void isNotCaughtUpBeforeStarting() {
        assertThat(progress.caughtUp(Duration.ofHours(1))).isFalse();
        assertThat(progress.nextOffset()).isNegative();
        assertThat(progress.lagRecords()).isZero();
    }

    @Test
    void catchesUpOnReachingTheEndThePartitionHadAtTheStart() {
        progress.started(100);
        long old = time.milliseconds() - Duration.ofMinutes(5).toMillis();
        progress.applied(99, old);
        assertThat(progress.caughtUp(Duration.ofSeconds(15))).isFalse();
        assertThat(progress.lagRecords()).isEqualTo(1);
        assertThat(progress.lagSeconds()).isEqualTo(300.0);

        progress.end(150); // produced since the start: not waited for
        progress.applied(100, old);
        assertThat(progress.caughtUp(Duration.ofSeconds(15))).isTrue();
        assertThat(progress.lagRecords()).isEqualTo(50);
    }

    @Test
    void catchesUpOnApplyingARecordWithinTheMaxLagOfNow() {
        progress.started(1000);
        progress.applied(10, time.milliseconds() - 16_000);
        assertThat(progress.caughtUp(Duration.ofSeconds(15))).isFalse();
        progress.applied(20, time.milliseconds() - 15_000);
        assertThat(progress.caughtUp(Duration.ofSeconds(15))).isTrue();
        assertThat(progress.lagSeconds()).isEqualTo(15.0);
        time.advance(1000);
        assertThat(progress.caughtUp(Duration.ofSeconds(15))).isFalse();
        assertThat(progress.lagSeconds()).isEqualTo(16.0);
    }

    @Test
    void lagIsZeroWhenCaughtUpHoweverOldTheLastRecord() {
        progress.started(5);
        progress.applied(5, time.milliseconds() - 3_600_000);
        assertThat(progress.lagRecords()).isZero();
        assertThat(progress.lagSeconds()).isZero();
        assertThat(progress.caughtUp(Duration.ZERO)).isTrue();
    }

    @Test
    void anEmptyPartitionIsCaughtUpAtOnce() {
        progress.started(0);
        assertThat(progress.caughtUp(Duration.ZERO)).as("not before the first poll").isFalse();
        progress.applied(0, -1);
        assertThat(progress.caughtUp(Duration.ZERO)).isTrue();
    }
}
