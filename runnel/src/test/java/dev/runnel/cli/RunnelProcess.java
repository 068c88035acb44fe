package dev.runnel.cli;

import dev.runnel.proto.prometheus.WriteRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xerial.snappy.Snappy;

/** A runnel binary started as its own operating-system process, for tests that kill it. */
final class RunnelProcess implements AutoCloseable {
    final int kafkaPort;
    final int httpPort;
    final int grpcPort;
    private final Path dataDir;
    private final Path logFile;
    private final String target;
    private final List<String> extraFlags;
    private java.lang.Process process;

    RunnelProcess(Path dataDir, List<String> extraFlags) throws IOException {
        this("agent", dataDir, extraFlags);
    }

    RunnelProcess(String target, Path dataDir, List<String> extraFlags) throws IOException {
        this.target = target;
        this.kafkaPort = freePort();
        this.httpPort = freePort();
        this.grpcPort = freePort();
        this.dataDir = dataDir;
        this.logFile = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        this.extraFlags = extraFlags;
    }

    RunnelProcess start() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                Runnel.class.getName(),
                "-target=" + target,
                "-data.dir=" + dataDir,
                "-kafka.listen-port=" + kafkaPort,
                "-server.http-listen-port=" + httpPort,
                "-server.grpc-listen-port=" + grpcPort));
        command.addAll(extraFlags);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        awaitReady(Duration.ofSeconds(60));
        return this;
    }

    String bootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    /** SIGKILL: no shutdown hook runs, nothing buffered is flushed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** A remote write 1.0 request (snappy) to its distributor. */
    HttpResponse<String> remoteWrite(WriteRequest request) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/api/v1/push"))
                        .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(Snappy.compress(request.toByteArray()))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Its log, appended to by every start of a process on the same data directory. */
    Path logFile() {
        return logFile;
    }

    String http(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    private void awaitReady(Duration timeout) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("runnel exited with " + process.exitValue() + "; see " + logFile);
            }
            try {
                if (http("/ready").startsWith("200")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("runnel not ready after " + timeout + "; see " + logFile);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
