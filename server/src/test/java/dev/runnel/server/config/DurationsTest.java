package dev.runnel.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @Test
    void readsPrometheusDurations() {
        assertThat(Durations.parse("-x", "250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("-x", "5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Durations.parse("-x", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("-x", "1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("-x", "7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("-x", "1w")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("-x", "1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("-x", "1m500ms")).isEqualTo(Duration.ofMillis(60_500));
        assertThat(Durations.parse("-x", "0")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"250", "", "1.5s", "5 parsecs", "30m1h", "-1s", "99999999999999999999w"})
    void rejectsWhatIsNotADuration(String text) {
        assertThatThrownBy(() -> Durations.parse("-agent.batch-timeout", text))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("-agent.batch-timeout ");
    }

    @Test
    void saysWhatWasExpected() {
        assertThatThrownBy(() -> Durations.parse("-agent.batch-timeout", "250"))
                .hasMessage("-agent.batch-timeout must be a duration such as 250ms, 5s, 2m or 1h: \"250\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "250ms", "5s", "10m", "1h30m", "2d", "1w1d1h1m1s1ms"})
    void formatsWhatItParses(String text) {
        assertThat(Durations.format(Durations.parse("-x", text))).isEqualTo(text);
    }
}
