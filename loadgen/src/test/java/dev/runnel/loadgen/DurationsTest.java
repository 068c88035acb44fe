package dev.runnel.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    private final Durations durations = new Durations();

    @Test
    void parsesRunnelFlagSpellings() {
        assertThat(durations.convert("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(durations.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(durations.convert("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(durations.convert("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(durations.convert("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(durations.convert("45")).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void rejectsWhatIsNotADuration() {
        for (String bad : new String[] {"", "s", "10x", "1m 30s", "-5s"}) {
            assertThatThrownBy(() -> durations.convert(bad)).as(bad).hasMessageContaining("not a duration");
        }
    }
}
