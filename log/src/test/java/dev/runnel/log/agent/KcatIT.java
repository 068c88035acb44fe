package dev.runnel.log.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** kcat (librdkafka, the Debian package) produces to and consumes from an agent. */
class KcatIT extends AgentTest {

    @Test
    void kcatProducesAndConsumes() throws Exception {
        String broker = "127.0.0.1:" + agent.port();
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            input.append("key").append(i).append(':').append("line ").append(i).append('\n');
        }
        Result produced = kcat(input.toString(), "-b", broker, "-t", "kcat-topic", "-P", "-K:", "-z", "snappy",
                "-X", "enable.idempotence=true", "-X", "topic.metadata.refresh.interval.ms=1000");
        assertThat(produced.exitCode).as(produced.stderr).isZero();

        // librdkafka's topic auto-creation made a one-partition topic; the records are there for kafka-clients too.
        List<ConsumerRecord<String, String>> records = KafkaClientsIT.readAll(broker, "kcat-topic", 1, 300);
        assertThat(records).hasSize(300);
        assertThat(records.get(299).key()).isEqualTo("key299");

        Result consumed = kcat("", "-b", broker, "-t", "kcat-topic", "-C", "-e", "-q", "-f", "%k=%s@%o\n");
        assertThat(consumed.exitCode).as(consumed.stderr).isZero();
        List<String> lines = consumed.stdout.lines().toList();
        assertThat(lines).hasSize(300);
        assertThat(lines.get(0)).isEqualTo("key0=line 0@0");
        assertThat(lines.get(299)).isEqualTo("key299=line 299@299");

        Result metadata = kcat("", "-b", broker, "-L", "-t", "kcat-topic");
        assertThat(metadata.exitCode).as(metadata.stderr).isZero();
        assertThat(metadata.stdout).contains("topic \"kcat-topic\" with 1 partitions");
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private static Result kcat(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("kcat");
        command.addAll(List.of(args));
        java.lang.Process process = new ProcessBuilder(command).start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        var stdout = new java.util.concurrent.CompletableFuture<String>();
        var stderr = new java.util.concurrent.CompletableFuture<String>();
        new Thread(() -> stdout.complete(read(process.getInputStream()))).start();
        new Thread(() -> stderr.complete(read(process.getErrorStream()))).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kcat " + String.join(" ", args) + " did not finish in 60 s: " + stderr.getNow(""));
        }
        return new Result(process.exitValue(), stdout.join(), stderr.join());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
