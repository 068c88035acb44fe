package dev.runnel.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Apache Kafka broker (KRaft, combined broker+controller) in its own JVM, run from the jars
 * Maven copied to {@code benchmarks/target/kafka-lib}. Storage is formatted with {@code kafka.tools.StorageTool}
 * (what {@code kafka-storage.sh} runs) and the node is started with {@code kafka.Kafka} (what
 * {@code kafka-server-start.sh} runs), with the JVM options of those scripts.
 *
 * <p>Flush settings are Kafka's defaults (as in the distribution's {@code config/server.properties}): no
 * {@code log.flush.interval.*}, so the broker never fsyncs per message and acks=all on one node acknowledges
 * once the batch is in the page cache.
 */
final class KafkaBroker implements AutoCloseable {
    static final String DEFAULT_JAVA_OPTS = "-Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 "
            + "-XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 "
            + "-Djava.awt.headless=true";

    private final Path dir;
    private final int port;
    private final Process process;
    private final Path log;

    private KafkaBroker(Path dir, int port, Process process, Path log) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    Path log() {
        return log;
    }

    long pid() {
        return process.pid();
    }

    static KafkaBroker start(Path dir, String classpath, String javaOpts, java.util.Map<String, String> overrides,
                             int startTimeoutSeconds) throws IOException, InterruptedException {
        int[] ports = Processes.freePorts(2);
        int port = ports[0];
        int controllerPort = ports[1];
        Path logDir = Files.createDirectories(dir.resolve("kafka-logs"));
        Path props = dir.resolve("server.properties");
        StringBuilder text = new StringBuilder(serverProperties(port, controllerPort, logDir));
        if (!overrides.isEmpty()) {
            text.append("# --kafka-prop overrides\n");
            overrides.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        }
        Files.writeString(props, text);
        String clusterId = Uuid.randomUuid().toString();

        Path formatLog = dir.resolve("kafka-storage-format.log");
        List<String> format = command(classpath, "-Xmx512m", "kafka.tools.StorageTool",
                "format", "-t", clusterId, "-c", props.toString());
        Process f = new ProcessBuilder(format).redirectErrorStream(true).redirectOutput(formatLog.toFile()).start();
        if (!f.waitFor(120, TimeUnit.SECONDS)) {
            Processes.stop(f, 5);
            throw new IOException("kafka.tools.StorageTool format did not finish in 120 s:\n" + Processes.tail(formatLog, 30));
        }
        if (f.exitValue() != 0) {
            throw new IOException("kafka.tools.StorageTool format exited " + f.exitValue() + ":\n" + Processes.tail(formatLog, 30));
        }

        Path log = dir.resolve("kafka-broker.log");
        List<String> cmd = command(classpath, javaOpts, "kafka.Kafka", props.toString());
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        KafkaBroker broker = new KafkaBroker(dir, port, p, log);
        try {
            broker.awaitReady(startTimeoutSeconds);
        } catch (IOException | RuntimeException | InterruptedException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    private static List<String> command(String classpath, String javaOpts, String main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Processes.javaBinary());
        for (String o : javaOpts.trim().split("\\s+")) {
            if (!o.isEmpty()) {
                cmd.add(o);
            }
        }
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
        cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(main);
        cmd.addAll(List.of(args));
        return cmd;
    }

    static String serverProperties(int port, int controllerPort, Path logDir) {
        return String.join("\n",
                "# Written by runnel-benchmarks: one combined broker+controller KRaft node on 127.0.0.1.",
                "# Everything not set here, including the flush policy (no log.flush.interval.*: never fsync per",
                "# message), is Kafka's default, as in the distribution's config/server.properties.",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "inter.broker.listener.name=PLAINTEXT",
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "num.network.threads=3",
                "num.io.threads=8",
                "socket.send.buffer.bytes=102400",
                "socket.receive.buffer.bytes=102400",
                "socket.request.max.bytes=104857600",
                "log.dirs=" + logDir,
                "num.partitions=1",
                "num.recovery.threads.per.data.dir=1",
                "offsets.topic.replication.factor=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "log.retention.hours=168",
                "log.segment.bytes=1073741824",
                "log.retention.check.interval.ms=300000",
                "auto.create.topics.enable=true",
                "");
    }

    private void awaitReady(int timeoutSeconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!Processes.accepts(port)) {
            if (!process.isAlive()) {
                throw new IOException("Kafka broker exited with " + process.exitValue() + " before listening:\n"
                        + Processes.tail(log, 40));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("Kafka broker not listening on " + port + " after " + timeoutSeconds + " s:\n"
                        + Processes.tail(log, 40));
            }
            Thread.sleep(200);
        }
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (Admin admin = Admin.create(p)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("Kafka broker did not answer DescribeCluster in " + timeoutSeconds
                                + " s: " + e + "\n" + Processes.tail(log, 40));
                    }
                }
                Thread.sleep(200);
            }
        }
    }

    @Override
    public void close() {
        Processes.stop(process, 60);
    }

    Path dir() {
        return dir;
    }
}
