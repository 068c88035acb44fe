package dev.runnel.ingester.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConsumeConfigZoneTest {
    private static final ConsumeConfig CONFIG = ConsumeConfig.of("127.0.0.1:9092", 3, "ingester-zone-b-3", Duration.ofHours(2));

    @Test
    void theClientIdNamesTheZoneForTheLog() {
        assertThat(CONFIG.clientId()).isEqualTo("ingester-zone-b-3-3");
        assertThat(CONFIG.withZone("zone-b").clientId()).isEqualTo("ingester-zone-b-3-3,runnel_az=zone-b");
    }

    @Test
    void aZoneTheLogCouldNotReadIsRefused() {
        assertThatThrownBy(() -> CONFIG.withZone("zone b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zone \"zone b\" is invalid");
    }
}
