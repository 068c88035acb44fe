package dev.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.runnel.distributor.DistributorConfig;
import dev.runnel.distributor.hatracker.HaTrackerConfig;
import dev.runnel.distributor.limits.Limits;
import dev.runnel.distributor.limits.TenantLimits;
import dev.runnel.ingester.IngesterConfig;
import dev.runnel.ingester.head.HeadConfig;
import dev.runnel.querier.api.ConsistencyLevel;
import dev.runnel.querier.fanout.OwnerPreference;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import dev.runnel.server.config.Durations;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigurationTest {
    @TempDir
    Path dir;

    private Runnel parse(String... args) {
        CommandLine commandLine = Runnel.commandLine(args);
        commandLine.parseArgs(args);
        return commandLine.getCommand();
    }

    @Test
    void defaultsAreTheEmbeddedSingleProcessSetup() {
        Runnel runnel = parse();
        assertThat(runnel.target).containsExactly(Runnel.Target.all);
        assertThat(runnel.settings.httpListenPort).isEqualTo(8080);
        assertThat(runnel.settings.kafkaListenPort).isEqualTo(9092);
        assertThat(runnel.settings.dataDir).isEqualTo("./data");
        assertThat(runnel.settings.objectStoreBackend).isEqualTo("filesystem");
        assertThat(Durations.parse("-agent.batch-timeout", runnel.settings.batchTimeout)).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void ingesterFlagsAndDerivedInstanceIds() {
        Runnel defaults = parse("-target=distributor,ingester");
        assertThat(defaults.target).containsExactly(Runnel.Target.distributor, Runnel.Target.ingester);
        IngesterSettings ingester = defaults.settings.ingester;
        assertThat(ingester.instanceId(defaults.settings.zone)).isEqualTo("ingester-zone-a-0");
        assertThat(ingester.instanceId("b")).isEqualTo("ingester-zone-b-0");
        IngesterConfig config = ingester.config("ingester-zone-a-3", defaults.settings.ingestStorage, 19092, "zone-a");
        assertThat(config).isEqualTo(new IngesterConfig("ingester-zone-a-3", "127.0.0.1:19092", "ingest", HeadConfig.DEFAULT,
                Duration.ofSeconds(15), Duration.ofMinutes(5), "zone-a"));

        Runnel set = parse("-ingester.ring.instance-id=ingester-zone-b-2", "-ingester.retention=1h",
                "-ingester.out-of-order-time-window=10m", "-ingester.max-global-series-per-user=1000", "-ingester.max-ready-lag=5s",
                "-ingester.snapshot-interval=30s");
        assertThat(set.settings.ingester.instanceId(set.settings.zone)).isEqualTo("ingester-zone-b-2");
        assertThat(set.settings.ingester.config("ingester-zone-b-2", set.settings.ingestStorage, 9092, "zone-b")).isEqualTo(
                new IngesterConfig("ingester-zone-b-2", "127.0.0.1:9092", "ingest",
                        new HeadConfig(Duration.ofHours(1), Duration.ofMinutes(10), 1000), Duration.ofSeconds(5),
                        Duration.ofSeconds(30), "zone-b"));
        assertThatThrownBy(() -> parse("-ingester.ring.instance-id=ingester-3").settings.ingester.config(
                "ingester-3", defaults.settings.ingestStorage, 9092, "zone-a"))
                .hasMessageContaining("ingester id \"ingester-3\" is invalid");
    }

    @Test
    void theDistributorDefaultsToTheLocalAgent() {
        Runnel runnel = parse("-kafka.listen-port=19092");
        DistributorConfig config = runnel.settings.distributor.config(runnel.settings.ingestStorage, runnel.settings.kafkaListenPort,
                runnel.settings.multitenancyEnabled, runnel.settings.zone);
        assertThat(config).isEqualTo(new DistributorConfig("127.0.0.1:19092", "ingest", 4, Duration.ofSeconds(5),
                100 << 20, 1 << 20, false, "zone-a"));
    }

    @Test
    void distributorFlagsAreYamlKeysToo() throws IOException {
        Path file = dir.resolve("runnel.yaml");
        Files.writeString(file, """
                target: distributor
                auth:
                  multitenancy_enabled: true
                ingest_storage:
                  kafka:
                    address: log-1:9092,log-2:9092
                    topic: metrics
                    auto_create_topic_default_partitions: 16
                distributor:
                  remote_timeout: 3s
                  max_recv_msg_size: 1000000
                  max_record_bytes: 65536
                """);
        Runnel runnel = parse("-config.file=" + file, "-distributor.remote-timeout=7s");
        assertThat(runnel.target).containsExactly(Runnel.Target.distributor);
        DistributorConfig config = runnel.settings.distributor.config(runnel.settings.ingestStorage, runnel.settings.kafkaListenPort,
                runnel.settings.multitenancyEnabled, runnel.settings.zone);
        assertThat(config).isEqualTo(new DistributorConfig("log-1:9092,log-2:9092", "metrics", 16, Duration.ofSeconds(7),
                1_000_000, 65536, true, "zone-a"));
    }

    @Test
    void yamlKeysSetFlagsAndTheCommandLineWins() throws IOException {
        Path file = dir.resolve("runnel.yaml");
        Files.writeString(file, """
                target: agent
                server:
                  http_listen_port: 9999
                kafka:
                  listen_port: 19092
                agent:
                  batch_timeout: 100ms
                object_store:
                  s3:
                    path_style: true
                """);
        Runnel runnel = parse("-config.file=" + file, "-kafka.listen-port=29092");
        assertThat(runnel.target).containsExactly(Runnel.Target.agent);
        assertThat(runnel.settings.httpListenPort).isEqualTo(9999);
        assertThat(runnel.settings.kafkaListenPort).isEqualTo(29092);
        assertThat(runnel.settings.batchTimeout).isEqualTo("100ms");
        assertThat(runnel.settings.s3PathStyle).isTrue();
    }

    @Test
    void theQuerierAndTheIngestersQueryServiceAreConfiguredByFlags() {
        Runnel defaults = parse("-target=querier");
        assertThat(defaults.target).containsExactly(Runnel.Target.querier);
        assertThat(defaults.settings.grpcListenPort).isEqualTo(9095);
        assertThat(defaults.settings.ingester.instanceAddr).isEqualTo("127.0.0.1");
        assertThat(defaults.settings.querier.ingesterTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.settings.querier.config(true).timeout()).isEqualTo(Duration.ofMinutes(2));

        Runnel flags = parse("-server.grpc-listen-port=19095", "-ingester.ring.instance-addr=10.0.0.7",
                "-querier.timeout=30s", "-querier.max-concurrent=4", "-auth.multitenancy-enabled=true");
        assertThat(flags.settings.grpcListenPort).isEqualTo(19095);
        assertThat(flags.settings.ingester.instanceAddr).isEqualTo("10.0.0.7");
        assertThat(flags.settings.querier.config(flags.settings.multitenancyEnabled))
                .extracting(c -> c.timeout(), c -> c.maxConcurrent(), c -> c.multitenancy())
                .containsExactly(Duration.ofSeconds(30), 4, true);
    }

    @Test
    void readConsistencyAndTheHeartbeatTimeoutAreQuerierFlags() {
        Runnel defaults = parse("-target=querier");
        assertThat(defaults.settings.querier.config(false).readConsistency().apply("any")).isEqualTo(ConsistencyLevel.EVENTUAL);
        assertThat(defaults.settings.querier.owners("zone-b"))
                .extracting(OwnerPreference::zone, OwnerPreference::heartbeatTimeout).containsExactly("b", Duration.ofMinutes(1));

        Runnel flags = parse("-querier.read-consistency=strong", "-querier.ingester-heartbeat-timeout=30s");
        assertThat(flags.settings.querier.config(false).readConsistency().apply("any")).isEqualTo(ConsistencyLevel.STRONG);
        assertThat(flags.settings.querier.owners("a").heartbeatTimeout()).isEqualTo(Duration.ofSeconds(30));

        assertThatThrownBy(() -> parse("-querier.read-consistency=sometimes").settings.querier.config(false))
                .hasMessage("-querier.read-consistency: read consistency must be eventual or strong, not \"sometimes\"");
    }

    @Test
    void thePostgresMetadataStoreIsConfiguredByFlagsOrYaml() throws IOException {
        Runnel defaults = parse();
        assertThat(defaults.settings.metadataStoreBackend).isEqualTo("sqlite");
        assertThat(defaults.settings.postgresUrl).isEmpty();
        assertThat(defaults.settings.postgresUser).isEmpty();
        assertThat(defaults.settings.postgresPassword).isEmpty();

        Runnel flags = parse("-metadata-store.backend=postgres", "-metadata-store.postgres.url=jdbc:postgresql://db:5432/runnel",
                "-metadata-store.postgres.user=runnel", "-metadata-store.postgres.password=secret");
        assertThat(flags.settings.metadataStoreBackend).isEqualTo("postgres");
        assertThat(flags.settings.postgresUrl).isEqualTo("jdbc:postgresql://db:5432/runnel");
        assertThat(flags.settings.postgresUser).isEqualTo("runnel");
        assertThat(flags.settings.postgresPassword).isEqualTo("secret");

        Path file = dir.resolve("runnel.yaml");
        Files.writeString(file, """
                metadata_store:
                  backend: postgres
                  postgres:
                    url: jdbc:postgresql://db:5432/runnel?currentSchema=metrics
                    user: runnel
                    password: from-file
                """);
        Runnel yaml = parse("-config.file=" + file, "-metadata-store.postgres.user=admin");
        assertThat(yaml.settings.metadataStoreBackend).isEqualTo("postgres");
        assertThat(yaml.settings.postgresUrl).isEqualTo("jdbc:postgresql://db:5432/runnel?currentSchema=metrics");
        assertThat(yaml.settings.postgresUser).isEqualTo("admin");
        assertThat(yaml.settings.postgresPassword).isEqualTo("from-file");
    }

    @Test
    void limitsComeFromTheLimitsBlockAndTheRuntimeConfigFile() throws IOException {
        Path overrides = dir.resolve("overrides.yaml");
        Files.writeString(overrides, """
                overrides:
                  team-a:
                    ingestion_rate: 50
                """);
        Path file = dir.resolve("runnel.yaml");
        Files.writeString(file, """
                limits:
                  max_label_names_per_series: 3
                  otel_metric_suffixes_enabled: true
                runtime_config:
                  file: %s
                  reload_period: 1m
                distributor:
                  ha_tracker:
                    update_timeout: 5s
                    failover_timeout: 20s
                """.formatted(overrides));
        Runnel runnel = parse("-config.file=" + file, "-distributor.ha-tracker.failover-timeout=40s");
        assertThat(runnel.settings.limits.reloadPeriod).isEqualTo("1m");
        assertThat(runnel.settings.distributor.haTracker()).isEqualTo(new HaTrackerConfig(Duration.ofSeconds(5),
                Duration.ofSeconds(40), HaTrackerConfig.DEFAULTS.storeRetryBackoff()));
        try (TenantLimits limits = runnel.settings.limits.tenantLimits(runnel.limitsBlock(), new PrometheusRegistry())) {
            assertThat(limits.defaults().maxLabelNamesPerSeries()).isEqualTo(3);
            assertThat(limits.defaults().otelMetricSuffixesEnabled()).isTrue();
            assertThat(limits.defaults().maxLabelNameLength()).isEqualTo(Limits.DEFAULTS.maxLabelNameLength());
            assertThat(limits.forTenant("team-a").ingestionRate()).isEqualTo(50);
            assertThat(limits.forTenant("team-a").maxLabelNamesPerSeries()).as("overrides are laid over the limits: block").isEqualTo(3);
        }
    }

    @Test
    void withoutAConfigFileTenantsHaveMimirsLimitsAndTheHaTrackerItsTimeouts() {
        Runnel runnel = parse();
        assertThat(runnel.settings.limits.file).isEmpty();
        assertThat(Durations.parse("-runtime-config.reload-period", runnel.settings.limits.reloadPeriod)).isEqualTo(Duration.ofSeconds(10));
        assertThat(runnel.settings.distributor.haTracker()).isEqualTo(HaTrackerConfig.DEFAULTS);
        assertThat(runnel.settings.limits.tenantLimits(runnel.limitsBlock(), new PrometheusRegistry()).forTenant("any"))
                .isEqualTo(Limits.DEFAULTS);
    }

    @Test
    void aBadLimitIsAClearError() throws IOException {
        Path file = dir.resolve("runnel.yaml");
        Files.writeString(file, """
                limits:
                  max_label_names_per_seris: 3
                """);
        Runnel runnel = parse("-config.file=" + file);
        assertThatThrownBy(() -> runnel.settings.limits.tenantLimits(runnel.limitsBlock(), new PrometheusRegistry()))
                .hasMessageContaining("limits: block").hasMessageContaining("max_label_names_per_seris");
    }

    @Test
    void aMissingConfigFileIsAClearError() {
        assertThatThrownBy(() -> parse("-config.file", dir.resolve("absent.yaml").toString()))
                .hasMessageContaining("cannot read config file").hasMessageContaining("absent.yaml");
    }

    @Test
    void anUnknownFlagIsRejected() {
        assertThatThrownBy(() -> parse("-kafka.listen-prot=1")).isInstanceOf(CommandLine.UnmatchedArgumentException.class);
    }
}
