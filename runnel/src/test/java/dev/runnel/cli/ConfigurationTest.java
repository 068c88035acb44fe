package dev.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.runnel.distributor.DistributorConfig;
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
        assertThat(runnel.target).isEqualTo(Runnel.Target.all);
        assertThat(runnel.settings.httpListenPort).isEqualTo(8080);
        assertThat(runnel.settings.kafkaListenPort).isEqualTo(9092);
        assertThat(runnel.settings.dataDir).isEqualTo("./data");
        assertThat(runnel.settings.objectStoreBackend).isEqualTo("filesystem");
        assertThat(Durations.parse("-agent.batch-timeout", runnel.settings.batchTimeout)).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void theDistributorDefaultsToTheLocalAgent() {
        Runnel runnel = parse("-kafka.listen-port=19092");
        DistributorConfig config = runnel.settings.distributor.config(runnel.settings.ingestStorage, runnel.settings.kafkaListenPort,
                runnel.settings.multitenancyEnabled);
        assertThat(config).isEqualTo(new DistributorConfig("127.0.0.1:19092", "ingest", 4, Duration.ofSeconds(5),
                100 << 20, 1 << 20, false));
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
        assertThat(runnel.target).isEqualTo(Runnel.Target.distributor);
        DistributorConfig config = runnel.settings.distributor.config(runnel.settings.ingestStorage, runnel.settings.kafkaListenPort,
                runnel.settings.multitenancyEnabled);
        assertThat(config).isEqualTo(new DistributorConfig("log-1:9092,log-2:9092", "metrics", 16, Duration.ofSeconds(7),
                1_000_000, 65536, true));
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
        assertThat(runnel.target).isEqualTo(Runnel.Target.agent);
        assertThat(runnel.settings.httpListenPort).isEqualTo(9999);
        assertThat(runnel.settings.kafkaListenPort).isEqualTo(29092);
        assertThat(runnel.settings.batchTimeout).isEqualTo("100ms");
        assertThat(runnel.settings.s3PathStyle).isTrue();
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
    void aMissingConfigFileIsAClearError() {
        assertThatThrownBy(() -> parse("-config.file", dir.resolve("absent.yaml").toString()))
                .hasMessageContaining("cannot read config file").hasMessageContaining("absent.yaml");
    }

    @Test
    void anUnknownFlagIsRejected() {
        assertThatThrownBy(() -> parse("-kafka.listen-prot=1")).isInstanceOf(CommandLine.UnmatchedArgumentException.class);
    }
}
