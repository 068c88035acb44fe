package dev.runnel.loadgen.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.loadgen.send.RetryPolicy.Outcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryPolicyTest {
    @ParameterizedTest
    @CsvSource({"200,SUCCESS", "204,SUCCESS", "429,RETRY", "500,RETRY", "503,RETRY", "599,RETRY",
            "400,DROP", "401,DROP", "404,DROP", "413,DROP", "301,DROP"})
    void retriesServerErrorsAndRateLimitsOnly(int status, Outcome outcome) {
        assertThat(RetryPolicy.PROMETHEUS.outcome(status)).isEqualTo(outcome);
    }

    @Test
    void backoffDoublesFrom30msUpTo5s() {
        RetryPolicy p = RetryPolicy.PROMETHEUS;
        assertThat(p.backoffNanos(1)).isEqualTo(30_000_000L);
        assertThat(p.backoffNanos(2)).isEqualTo(60_000_000L);
        assertThat(p.backoffNanos(3)).isEqualTo(120_000_000L);
        assertThat(p.backoffNanos(8)).isEqualTo(3_840_000_000L);
        assertThat(p.backoffNanos(9)).isEqualTo(5_000_000_000L);
        assertThat(p.backoffNanos(1_000)).isEqualTo(5_000_000_000L);
    }

    @Test
    void rejectsBadBounds() {
        assertThatThrownBy(() -> new RetryPolicy(Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("positive");
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("below the minimum");
        assertThatThrownBy(() -> RetryPolicy.PROMETHEUS.backoffNanos(0)).hasMessageContaining("from 1");
    }
}
