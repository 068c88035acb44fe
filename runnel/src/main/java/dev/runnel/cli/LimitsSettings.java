package dev.runnel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runnel.distributor.limits.Limits;
import dev.runnel.distributor.limits.LimitsYaml;
import dev.runnel.distributor.limits.TenantLimits;
import dev.runnel.server.config.Durations;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the tenants' limits come from: the config file's {@code limits:} block (the defaults of
 * every tenant, laid over Mimir's) and the runtime configuration file of per-tenant
 * {@code overrides:}, re-read while the process runs.
 */
public final class LimitsSettings {
    @Option(names = "-runtime-config.file", defaultValue = "",
            description = "YAML file of per-tenant limits, overrides: {<tenant>: {<limit>: <value>}}, re-read every "
                    + "-runtime-config.reload-period. Empty: every tenant has the limits: block of -config.file.")
    String file;

    @Option(names = "-runtime-config.reload-period", defaultValue = "10s", description = "How often the runtime configuration file is re-read.")
    String reloadPeriod;

    /**
     * The tenants' limits, reloading the runtime configuration file if there is one; close it to stop.
     *
     * @param limitsBlock the config file's {@code limits:} node (missing if none)
     */
    TenantLimits tenantLimits(JsonNode limitsBlock, PrometheusRegistry registry) {
        Limits defaults;
        try {
            defaults = LimitsYaml.over(Limits.DEFAULTS, limitsBlock);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the limits: block of the config file is invalid: " + e.getMessage(), e);
        }
        if (file.isBlank()) {
            return TenantLimits.fixed(defaults);
        }
        TenantLimits limits = TenantLimits.withRuntimeConfig(defaults, Path.of(file), registry);
        limits.startReloading(Durations.parse("-runtime-config.reload-period", reloadPeriod));
        return limits;
    }
}
