package dev.runnel.server.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ClientZonesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "runnel-distributor,runnel_az=eu-west-1a | eu-west-1a",
            "runnel_az=zone-b                       | zone-b",
            "runnel_az=zone-b,other=1               | zone-b",
            "app,ws_az=us-east-1c                   | us-east-1c",
            "ws_az=a,runnel_az=b                    | a",
            "runnel-distributor                     | unknown",
            "''                                     | unknown",
            "NULL                                   | unknown",
            "runnel_az=                             | unknown",
            "runnel_az                              | unknown",
            "xrunnel_az=zone-a                      | unknown",
            "runnel_az=zone a                       | unknown",
            "runnel_az=zone/a                       | unknown",
            "runnel_azz=zone-a                      | unknown",
            "a,,runnel_az=z                         | z",
            "trailing,                              | unknown",
    })
    void zoneOfClientId(String clientId, String zone) {
        assertThat(ClientZones.zoneOf(clientId)).isEqualTo(zone);
    }

    @Test
    void zoneLongerThan64CharactersIsUnknown() {
        assertThat(ClientZones.zoneOf("runnel_az=" + "z".repeat(64))).isEqualTo("z".repeat(64));
        assertThat(ClientZones.zoneOf("runnel_az=" + "z".repeat(65))).isEqualTo("unknown");
    }

    @Test
    void clientIdAppendsTheZoneAndRoundTrips() {
        assertThat(ClientZones.clientId("runnel-distributor", "zone-a")).isEqualTo("runnel-distributor,runnel_az=zone-a");
        assertThat(ClientZones.clientId("", "zone-a")).isEqualTo("runnel_az=zone-a");
        assertThat(ClientZones.clientId("runnel-distributor", "")).isEqualTo("runnel-distributor");
        assertThat(ClientZones.zoneOf(ClientZones.clientId("ingester-zone-a-0-0", "eu-west-1b"))).isEqualTo("eu-west-1b");
    }

    @Test
    void clientIdRefusesAZoneItCouldNotReadBack() {
        assertThatThrownBy(() -> ClientZones.clientId("x", "zone a,b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zone \"zone a,b\" is invalid");
    }
}
