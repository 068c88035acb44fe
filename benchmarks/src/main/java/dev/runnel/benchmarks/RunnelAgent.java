package dev.runnel.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Runnel agent in its own process: {@code bin/runnel -target=agent} with a fresh {@code -data.dir}
 * (filesystem object store and SQLite metadata under it) and free ports.
 */
final class RunnelAgent implements AutoCloseable {
    private final int kafkaPort;
    private final int httpPort;
    private final Process process;
    private final Path log;
    private final List<String> command;

    private RunnelAgent(int kafkaPort, int httpPort, Process process, Path log, List<String> command) {
        this.kafkaPort = kafkaPort;
        this.httpPort = httpPort;
        this.process = process;
        this.log = log;
        this.command = command;
    }

    String bootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    URI metricsUri() {
        return URI.create("http://127.0.0.1:" + httpPort + "/metrics");
    }

    Path log() {
        return log;
    }

    List<String> command() {
        return command;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    static RunnelAgent start(Path runnelBin, Path dir, Duration batchTimeout, List<String> extraArgs,
                             String javaOpts, int startTimeoutSeconds) throws IOException, InterruptedException {
        int[] ports = Processes.freePorts(2);
        int kafkaPort = ports[0];
        int httpPort = ports[1];
        Path data = Files.createDirectories(dir.resolve("data"));
        List<String> cmd = new ArrayList<>(List.of(runnelBin.toString(), "-target=agent",
                "-data.dir=" + data,
                "-kafka.listen-port=" + kafkaPort,
                "-server.http-listen-port=" + httpPort,
                "-agent.batch-timeout=" + Durations.format(batchTimeout)));
        cmd.addAll(extraArgs);
        Path log = dir.resolve("runnel-agent.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        if (javaOpts != null && !javaOpts.isBlank()) {
            pb.environment().put("RUNNEL_JAVA_OPTS", javaOpts);
        }
        Process p = pb.start();
        RunnelAgent agent = new RunnelAgent(kafkaPort, httpPort, p, log, cmd);
        try {
            agent.awaitReady(startTimeoutSeconds);
        } catch (IOException | RuntimeException | InterruptedException e) {
            agent.close();
            throw e;
        }
        return agent;
    }

    private void awaitReady(int timeoutSeconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String lastProblem = "not listening yet";
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("bin/runnel -target=agent exited with " + process.exitValue()
                        + " before it was ready:\n" + Processes.tail(log, 40));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("Runnel agent not ready after " + timeoutSeconds + " s (" + lastProblem + "):\n"
                        + Processes.tail(log, 40));
            }
            if (Processes.accepts(kafkaPort)) {
                try {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(metricsUri())
                            .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) {
                        return;
                    }
                    lastProblem = "GET /metrics answered " + r.statusCode();
                } catch (IOException e) {
                    lastProblem = "GET /metrics: " + e;
                }
            }
            Thread.sleep(250);
        }
    }

    @Override
    public void close() {
        Processes.stop(process, 30);
    }
}
