package dev.runnel.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionRingCodecTest {

    @Test
    void roundTripsStatesOwnersAndTimestamps() {
        PartitionRing ring = PartitionRing.of(List.of(
                new Partition(0, PartitionState.ACTIVE, 1_000, List.of(
                        new PartitionOwner("ingester-zone-b-0", "b", OwnerState.STOPPED, 2_000),
                        new PartitionOwner("ingester-zone-a-0", "a", OwnerState.ACTIVE, 3_000, "10.0.0.7:9095"))),
                new Partition(7, PartitionState.INACTIVE, 4_000, List.of()),
                new Partition(3, PartitionState.PENDING, 5_000, List.of())));

        PartitionRing decoded = PartitionRingCodec.decode(PartitionRingCodec.encode(ring));

        assertThat(decoded).isEqualTo(ring);
        assertThat(decoded.partition(0).orElseThrow().owner("b").orElseThrow().state()).isEqualTo(OwnerState.STOPPED);
        assertThat(decoded.partitions()).extracting(Partition::id).containsExactly(0, 3, 7);
        assertThat(decoded.partition(0).orElseThrow().owner("a").orElseThrow().address()).isEqualTo("10.0.0.7:9095");
    }

    @Test
    void readsVersionOneOwnersWithoutAnAddress() {
        PartitionRing ring = decode("{\"version\":1,\"partitions\":[{\"id\":0,\"state\":\"ACTIVE\",\"stateChangedMs\":1,"
                + "\"owners\":[{\"ingesterId\":\"ingester-zone-a-0\",\"zone\":\"a\",\"state\":\"ACTIVE\",\"heartbeatMs\":2}]}]}");

        assertThat(ring.partition(0).orElseThrow().owners())
                .containsExactly(new PartitionOwner("ingester-zone-a-0", "a", OwnerState.ACTIVE, 2, ""));
    }

    @Test
    void theEncodingCarriesItsVersion() {
        String json = new String(PartitionRingCodec.encode(PartitionRing.empty()), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"version\":2,\"partitions\":[]}");
    }

    @Test
    void refusesAVersionItDoesNotKnow() {
        assertThatThrownBy(() -> decode("{\"version\":3,\"partitions\":[]}"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("partition ring is encoded in version 3, this build reads versions 1 to 2: upgrade this process");
    }

    @Test
    void saysWhatIsMissingFromAMalformedValue() {
        assertThatThrownBy(() -> decode("{\"version\":1,\"partitions\":[{\"id\":4,\"stateChangedMs\":1,\"owners\":[]}]}"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("partition ring value is malformed: partition 4 has no \"state\"");
        assertThatThrownBy(() -> decode("{\"version\":1,\"partitions\":[{\"id\":4,\"state\":\"GONE\","
                        + "\"stateChangedMs\":1,\"owners\":[]}]}"))
                .hasMessage("partition ring value is malformed: partition 4 has an unknown state \"GONE\"");
        assertThatThrownBy(() -> decode("not json"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("partition ring value is not JSON");
    }

    private static PartitionRing decode(String json) {
        return PartitionRingCodec.decode(json.getBytes(StandardCharsets.UTF_8));
    }
}
