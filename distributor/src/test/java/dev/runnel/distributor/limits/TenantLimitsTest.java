package dev.runnel.distributor.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantLimitsTest {

    @TempDir
    Path dir;

    private final PrometheusRegistry registry = new PrometheusRegistry();

    @Test
    void tenantsWithoutOverridesGetTheDefaults() throws Exception {
        Path file = write("overrides: {big: {ingestion_rate: 1000000}}");
        try (TenantLimits limits = TenantLimits.withRuntimeConfig(Limits.DEFAULTS, file, registry)) {
            assertThat(limits.forTenant("big").ingestionRate()).isEqualTo(1_000_000);
            assertThat(limits.forTenant("small")).isSameAs(Limits.DEFAULTS);
        }
        assertThat(TenantLimits.fixed(Limits.DEFAULTS).forTenant("any")).isSameAs(Limits.DEFAULTS);
    }

    @Test
    void aReloadAppliesTheNewOverrides() throws Exception {
        Path file = write("overrides: {a: {ingestion_rate: 1}}");
        try (TenantLimits limits = TenantLimits.withRuntimeConfig(Limits.DEFAULTS, file, registry)) {
            Files.writeString(file, "overrides: {b: {ingestion_rate: 2}}");

            assertThat(limits.reload()).isTrue();

            assertThat(limits.forTenant("a")).isSameAs(Limits.DEFAULTS);
            assertThat(limits.forTenant("b").ingestionRate()).isEqualTo(2);
        }
    }

    @Test
    void aBrokenFileKeepsTheLastGoodOverrides() throws Exception {
        Path file = write("overrides: {a: {ingestion_rate: 1}}");
        try (TenantLimits limits = TenantLimits.withRuntimeConfig(Limits.DEFAULTS, file, registry)) {
            assertThat(lastReloadSuccessful()).isEqualTo(1);
            Files.writeString(file, "overrides: {a: {ingestion_rate: [");

            assertThat(limits.reload()).isFalse();
            assertThat(limits.forTenant("a").ingestionRate()).isEqualTo(1);
            assertThat(lastReloadSuccessful()).isEqualTo(0);

            Files.delete(file);
            assertThat(limits.reload()).isFalse();
            assertThat(limits.forTenant("a").ingestionRate()).isEqualTo(1);

            Files.writeString(file, "overrides: {a: {ingestion_rate: 3}}");
            assertThat(limits.reload()).isTrue();
            assertThat(limits.forTenant("a").ingestionRate()).isEqualTo(3);
            assertThat(lastReloadSuccessful()).isEqualTo(1);
        }
    }

    @Test
    void aBrokenFileAtStartIsAnError() throws Exception {
        Path file = write("overrides: {a: {max_label_names_per_series: 0}}");
        assertThatThrownBy(() -> TenantLimits.withRuntimeConfig(Limits.DEFAULTS, file, registry))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("max_label_names_per_series must be positive: 0");
    }

    @Test
    void theReloaderPicksUpChangesOnItsOwn() throws Exception {
        Path file = write("overrides: {}");
        try (TenantLimits limits = TenantLimits.withRuntimeConfig(Limits.DEFAULTS, file, registry)) {
            limits.startReloading(Duration.ofMillis(20));
            Files.writeString(file, "overrides: {a: {ingestion_burst_size: 7}}");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (limits.forTenant("a").ingestionBurstSize() != 7 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(limits.forTenant("a").ingestionBurstSize()).isEqualTo(7);
        }
    }

    private double lastReloadSuccessful() {
        return registry.scrape().stream()
                .filter(s -> s.getMetadata().getName().equals("runnel_runtime_config_last_reload_successful"))
                .map(s -> ((GaugeSnapshot) s).getDataPoints().get(0).getValue())
                .findFirst().orElseThrow();
    }

    private Path write(String yaml) throws Exception {
        return Files.writeString(dir.resolve("runtime.yaml"), yaml);
    }
}
