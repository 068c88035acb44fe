package dev.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void aMissingConfigFileIsAClearError() {
        assertThatThrownBy(() -> parse("-config.file", dir.resolve("absent.yaml").toString()))
                .hasMessageContaining("cannot read config file").hasMessageContaining("absent.yaml");
    }

    @Test
    void anUnknownFlagIsRejected() {
        assertThatThrownBy(() -> parse("-kafka.listen-prot=1")).isInstanceOf(CommandLine.UnmatchedArgumentException.class);
    }
}
