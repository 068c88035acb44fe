package dev.runnel.ingester.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConsumeConfigTest {

    @Test
    void namesTheGroupAfterZoneAndIngester() {
        assertThat(ConsumeConfig.group("a", 2)).isEqualTo("ingester-zone-a-2");
    }

    @Test
    void rejectsNonsenseWithTheFieldAndValue() {
        assertThatThrownBy(() -> ConsumeConfig.of("127.0.0.1:9092", -1, "g", Duration.ofHours(2)))
                .hasMessage("partition must not be negative: -1");
        assertThatThrownBy(() -> ConsumeConfig.of("127.0.0.1:9092", 0, "g", Duration.ZERO))
                .hasMessage("retention must be positive: PT0S");
        assertThatThrownBy(() -> ConsumeConfig.of("127.0.0.1:9092", 0, "g", Duration.ofHours(2)).withMaxReadyLag(Duration.ofSeconds(-1)))
                .hasMessage("maxReadyLag must not be negative: PT-1S");
    }
}
