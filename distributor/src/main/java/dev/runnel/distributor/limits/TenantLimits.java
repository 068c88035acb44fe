package dev.runnel.distributor.limits;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The effective {@link Limits} of each tenant: the defaults, or a tenant's overrides from the
 * runtime configuration file laid over them. {@link #forTenant} is a map lookup on the hot
 * path; the file is read by {@link #reload}, every reload period on a daemon thread once
 * {@link #startReloading} is called, so overrides change without a restart.
 *
 * <p>A file that cannot be read or parsed at start is an error (the process should not start
 * with limits other than the ones configured); later, a broken file keeps the last good
 * overrides, logs one line per distinct problem, and sets
 * {@code runnel_runtime_config_last_reload_successful} to 0 until a reload succeeds.
 */
public final class TenantLimits implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TenantLimits.class);

    private final Limits defaults;
    private final Path runtimeConfig;
    private final Gauge lastReloadSuccessful;
    private volatile Map<String, Limits> overrides = Map.of();
    private String lastProblem;
    private ScheduledExecutorService reloader;

    private TenantLimits(Limits defaults, Path runtimeConfig, Gauge lastReloadSuccessful) {
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.runtimeConfig = runtimeConfig;
        this.lastReloadSuccessful = lastReloadSuccessful;
    }

    /** The same limits for every tenant. */
    public static TenantLimits fixed(Limits defaults) {
        return fixed(defaults, Map.of());
    }

    /** Fixed limits: {@code overrides} for the tenants it names, the defaults for the others. */
    public static TenantLimits fixed(Limits defaults, Map<String, Limits> overrides) {
        TenantLimits limits = new TenantLimits(defaults, null, null);
        limits.overrides = Map.copyOf(overrides);
        return limits;
    }

    /**
     * Limits with per-tenant overrides from {@code runtimeConfig} (YAML {@code overrides: {tenant: {key: value}}}),
     * read once now.
     *
     * @throws IllegalArgumentException if the file cannot be read or has an error
     */
    public static TenantLimits withRuntimeConfig(Limits defaults, Path runtimeConfig, PrometheusRegistry registry) {
        Gauge gauge = Gauge.builder()
                .name("runnel_runtime_config_last_reload_successful")
                .help("Whether the last reload of the runtime configuration file (per-tenant limits) succeeded.")
                .register(registry);
        TenantLimits limits = new TenantLimits(defaults, Objects.requireNonNull(runtimeConfig, "runtimeConfig"), gauge);
        limits.overrides = limits.read();
        gauge.set(1);
        LOG.info("Loaded the runtime configuration {}: overrides for {} tenants", runtimeConfig, limits.overrides.size());
        return limits;
    }

    /** The effective limits of {@code tenant}; no I/O. */
    public Limits forTenant(String tenant) {
        Limits l = overrides.get(tenant);
        return l == null ? defaults : l;
    }

    public Limits defaults() {
        return defaults;
    }

    /** Re-reads the runtime configuration file every {@code period} until {@link #close}. */
    public synchronized void startReloading(Duration period) {
        if (runtimeConfig == null || reloader != null) {
            return;
        }
        reloader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "runtime-config-reloader");
            t.setDaemon(true);
            return t;
        });
        reloader.scheduleWithFixedDelay(this::reload, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Reads the runtime configuration file now.
     *
     * @return whether it was read; if not, the last good overrides stay in force
     */
    public synchronized boolean reload() {
        if (runtimeConfig == null) {
            return true;
        }
        try {
            Map<String, Limits> next = read();
            if (!next.equals(overrides)) {
                LOG.info("Reloaded the runtime configuration {}: overrides for {} tenants", runtimeConfig, next.size());
            } else if (lastProblem != null) {
                LOG.info("The runtime configuration {} is readable again", runtimeConfig);
            }
            overrides = next;
            lastProblem = null;
            lastReloadSuccessful.set(1);
            return true;
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().equals(lastProblem)) {
                LOG.warn("Keeping the last good per-tenant limits: {}", e.getMessage());
            }
            lastProblem = e.getMessage();
            lastReloadSuccessful.set(0);
            return false;
        }
    }

    private Map<String, Limits> read() {
        String yaml;
        try {
            yaml = Files.readString(runtimeConfig, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the runtime configuration " + runtimeConfig + ": " + e, e);
        }
        try {
            return Map.copyOf(LimitsYaml.overrides(yaml, defaults));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the runtime configuration " + runtimeConfig + " is invalid: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (reloader != null) {
            reloader.shutdownNow();
            reloader = null;
        }
    }
}
