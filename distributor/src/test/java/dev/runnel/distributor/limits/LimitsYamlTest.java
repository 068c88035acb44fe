package dev.runnel.distributor.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitsYamlTest {

    @Test
    void aBlockChangesOnlyWhatItNames() throws Exception {
        Limits limits = LimitsYaml.over(Limits.DEFAULTS, yaml("""
                limits:
                  ingestion_rate: 500
                  creation_grace_period: 1h30m
                  past_grace_period: 7d
                  accept_ha_samples: true
                  promote_otel_resource_attributes: [service.name, k8s.pod.name]
                """).path("limits"));

        assertThat(limits.ingestionRate()).isEqualTo(500);
        assertThat(limits.creationGracePeriod()).isEqualTo(Duration.ofMinutes(90));
        assertThat(limits.pastGracePeriod()).isEqualTo(Duration.ofDays(7));
        assertThat(limits.acceptHaSamples()).isTrue();
        assertThat(limits.promoteOtelResourceAttributes()).containsExactly("service.name", "k8s.pod.name");
        assertThat(limits.ingestionBurstSize()).isEqualTo(200_000);
        assertThat(limits.maxLabelNamesPerSeries()).isEqualTo(30);
        assertThat(limits.haReplicaLabel()).isEqualTo("__replica__");
    }

    @Test
    void noBlockMeansTheBase() throws Exception {
        assertThat(LimitsYaml.over(Limits.DEFAULTS, yaml("server: {}").path("limits"))).isSameAs(Limits.DEFAULTS);
    }

    @Test
    void mimirDefaults() {
        Limits d = Limits.DEFAULTS;
        assertThat(List.of(d.maxLabelNamesPerSeries(), d.maxLabelNameLength(), d.maxLabelValueLength(), d.maxMetadataLength()))
                .containsExactly(30, 1024, 2048, 1024);
        assertThat(d.creationGracePeriod()).isEqualTo(Duration.ofMinutes(10));
        assertThat(d.pastGracePeriod()).isZero();
        assertThat(d.ingestionRate()).isEqualTo(10_000);
        assertThat(d.acceptHaSamples()).isFalse();
        assertThat(d.haClusterLabel()).isEqualTo("cluster");
    }

    @Test
    void overridesAreLaidOverTheDefaultsTenantByTenant() {
        Limits defaults = LimitsYaml.over(Limits.DEFAULTS, node("{ingestion_rate: 100}"));
        Map<String, Limits> overrides = LimitsYaml.overrides("""
                overrides:
                  team-a:
                    ingestion_burst_size: 5
                  team-b:
                    max_label_name_length: 10
                    past_grace_period: 0
                    ingestion_partitions_tenant_shard_size: 2
                """, defaults);

        assertThat(overrides.get("team-a").ingestionBurstSize()).isEqualTo(5);
        assertThat(overrides.get("team-a").ingestionRate()).isEqualTo(100);
        assertThat(overrides.get("team-b").maxLabelNameLength()).isEqualTo(10);
        assertThat(overrides.get("team-b").ingestionBurstSize()).isEqualTo(200_000);
        assertThat(overrides.get("team-b").ingestionPartitionsTenantShardSize()).isEqualTo(2);
        assertThat(overrides.get("team-a").ingestionPartitionsTenantShardSize()).isZero();
        assertThat(LimitsYaml.overrides("", defaults)).isEmpty();
        assertThat(LimitsYaml.overrides("overrides:", defaults)).isEmpty();
    }

    @Test
    void errorsNameTheTenantAndTheKey() {
        assertThatThrownBy(() -> LimitsYaml.overrides("overrides: {a: {ingestion_rtae: 5}}", Limits.DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tenant \"a\"").hasMessageContaining("ingestion_rtae");
        assertThatThrownBy(() -> LimitsYaml.overrides("overrides: {a: {ingestion_partitions_tenant_shard_size: -1}}", Limits.DEFAULTS))
                .hasMessageContaining("ingestion_partitions_tenant_shard_size must not be negative");
        assertThatThrownBy(() -> LimitsYaml.overrides("overrides: {a: {creation_grace_period: soon}}", Limits.DEFAULTS))
                .hasMessageContaining("creation_grace_period must be a duration").hasMessageContaining("soon");
        assertThatThrownBy(() -> LimitsYaml.overrides("overrides: {a: {ingestion_rate: -1}}", Limits.DEFAULTS))
                .hasMessageContaining("ingestion_rate must be a non-negative number: -1.0");
        assertThatThrownBy(() -> LimitsYaml.overrides("overrides: {a: {max_label_name_length: lots}}", Limits.DEFAULTS))
                .hasMessageContaining("tenant \"a\"").hasMessageContaining("max_label_name_length");
        assertThatThrownBy(() -> LimitsYaml.overrides("overides: {}", Limits.DEFAULTS))
                .hasMessageContaining("unknown key \"overides\"");
        assertThatThrownBy(() -> LimitsYaml.overrides("overrides: [a, b]", Limits.DEFAULTS))
                .hasMessageContaining("overrides must map tenant ids to limits");
        assertThatThrownBy(() -> LimitsYaml.overrides("overrides: {a: {", Limits.DEFAULTS))
                .hasMessageStartingWith("not valid YAML");
    }

    private static JsonNode yaml(String text) throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(text);
    }

    private static JsonNode node(String text) {
        try {
            return yaml(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
