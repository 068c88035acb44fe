package dev.runnel.benchmarks;

import dev.runnel.loadgen.report.Json;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * kafka-clients against a real Apache Kafka broker and a Runnel agent, one after the other in one invocation,
 * the same workload, one table side by side. Run it with {@code bin/log-benchmark}.
 */
@Command(name = "log-benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Produces 1 KiB records with kafka-clients (idempotent, acks=all) to a 64-partition topic and reads "
                        + "them back, against a real Apache Kafka KRaft broker (its own JVM, from Maven Central jars) and "
                        + "then a Runnel agent (bin/runnel -target=agent, filesystem store), and prints one table side by side.",
                "",
                "Phases per system: max throughput; ack latency at a fixed rate of half that max (no coordinated "
                        + "omission); consumer read-back with an exactly-once check; a 1,000-partition phase at a "
                        + "moderate rate (Runnel: object PUTs/s from the agent's /metrics).",
                ""})
public final class LogBenchmark implements Callable<Integer> {
    static final String KAFKA_VERSION = "4.3.0";

    @Option(names = "--duration", defaultValue = "20s", converter = Durations.Converter.class,
            description = "Measured time of each producing phase (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "5s", converter = Durations.Converter.class,
            description = "Warm-up before each measured window (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--partitions", defaultValue = "64", description = "Partitions of the throughput and latency topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--record-bytes", defaultValue = "1024", description = "Record value size, at least 12 (default: ${DEFAULT-VALUE}).")
    int recordBytes;

    @Option(names = "--producers", defaultValue = "2", description = "Producer instances, one sending thread each (default: ${DEFAULT-VALUE}).")
    int producers;

    @Option(names = "--batch-timeout", defaultValue = "250ms", converter = Durations.Converter.class,
            description = "Passed to the agent as -agent.batch-timeout; sets the latency and PUT targets (default: ${DEFAULT-VALUE}).")
    Duration batchTimeout;

    @Option(names = "--latency-fraction", defaultValue = "0.5",
            description = "Rate of the latency phase as a fraction of the system's own max records/s (default: ${DEFAULT-VALUE}).")
    double latencyFraction;

    @Option(names = "--put-check-partitions", defaultValue = "1000",
            description = "Partitions of the PUT-rate check topic (default: ${DEFAULT-VALUE}).")
    int putCheckPartitions;

    @Option(names = "--put-check-rate", defaultValue = "2",
            description = "MB/s (10^6 bytes) produced in the PUT-rate check, round-robin over its partitions (default: ${DEFAULT-VALUE}).")
    double putCheckMBps;

    @Option(names = "--put-check-duration", defaultValue = "20s", converter = Durations.Converter.class,
            description = "Measured time of the PUT-rate check (default: ${DEFAULT-VALUE}).")
    Duration putCheckDuration;

    @Option(names = "--put-check-batch-size", defaultValue = "16384",
            description = "batch.size of the PUT-rate check's producers (kafka-clients' default; default: ${DEFAULT-VALUE}).")
    int putCheckBatchBytes;

    @Option(names = "--skip-put-check", description = "Skip the many-partition PUT-rate phase.")
    boolean skipPutCheck;

    enum Phase { max, read, latency, manyp }

    @Option(names = "--phases", split = ",", defaultValue = "max,read,latency,manyp",
            description = "Phases to run, in this order whatever the spelling: max (max throughput), read (read-back of "
                    + "max's topic), latency (fixed rate), manyp (many partitions, PUT check) (default: ${DEFAULT-VALUE}).")
    java.util.Set<Phase> phases;

    @Option(names = "--latency-rate", description = "Records/s of the latency phase instead of --latency-fraction x max.")
    Double latencyRate;

    @Option(names = "--skip-kafka", description = "Do not run against Apache Kafka.")
    boolean skipKafka;

    @Option(names = "--skip-runnel", description = "Do not run against a Runnel agent.")
    boolean skipRunnel;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every figure as JSON to FILE.")
    Path json;

    @Option(names = "--producer-prop", paramLabel = "KEY=VALUE",
            description = "Override a producer setting (both systems), repeatable.")
    Map<String, String> producerOverrides = new LinkedHashMap<>();

    @Option(names = "--consumer-prop", paramLabel = "KEY=VALUE",
            description = "Override a consumer setting (both systems), repeatable.")
    Map<String, String> consumerOverrides = new LinkedHashMap<>();

    @Option(names = "--read-timeout", defaultValue = "180s", converter = Durations.Converter.class,
            description = "Give up the read-back after this long (default: ${DEFAULT-VALUE}).")
    Duration readTimeout;

    @Option(names = "--runnel-bin", description = "The runnel launcher (default: <repo>/bin/runnel).")
    Path runnelBin;

    @Option(names = "--agent-arg", paramLabel = "-FLAG=VALUE", description = "Extra flag for the agent, repeatable.")
    List<String> agentArgs = new ArrayList<>();

    @Option(names = "--runnel-java-opts", description = "RUNNEL_JAVA_OPTS for the agent's JVM (default: inherited, else none).")
    String runnelJavaOpts;

    @Option(names = "--kafka-lib", description = "Directory of the broker's jars (default: <repo>/benchmarks/target/kafka-lib).")
    Path kafkaLib;

    @Option(names = "--kafka-java-opts", description = "JVM options of the broker (default: those of kafka-server-start.sh: "
            + KafkaBroker.DEFAULT_JAVA_OPTS + ").")
    String kafkaJavaOpts = KafkaBroker.DEFAULT_JAVA_OPTS;

    @Option(names = "--kafka-prop", paramLabel = "KEY=VALUE",
            description = "Override a broker setting in server.properties (later lines win), repeatable.")
    Map<String, String> kafkaProps = new LinkedHashMap<>();

    @Option(names = "--start-timeout", defaultValue = "300",
            description = "Seconds to wait for the broker or agent to be ready; bin/runnel may build first (default: ${DEFAULT-VALUE}).")
    int startTimeoutSeconds;

    @Option(names = "--work-dir", description = "Where the broker's and agent's data go (default: a fresh temp dir).")
    Path workDir;

    @Option(names = "--keep-data", description = "Keep the broker's and agent's data and logs.")
    boolean keepData;

    private final PrintStream out;
    private final PrintStream err;
    private static volatile AutoCloseable running;

    public LogBenchmark() {
        this(System.out, System.err);
    }

    LogBenchmark(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            AutoCloseable r = running;
            if (r != null) {
                try {
                    r.close();
                } catch (Exception ignored) {
                    // exiting anyway
                }
            }
        }, "log-benchmark-cleanup"));
        int code = new CommandLine(new LogBenchmark()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(code);
    }

    /** linger.ms = batch-timeout / max.in.flight (5): the in-flight requests of a connection cover one flush window. */
    long defaultLingerMs() {
        return Math.max(1, batchTimeout.toMillis() / 5);
    }

    Map<String, String> producerProps() {
        Map<String, String> m = new LinkedHashMap<>(Workload.DEFAULT_PRODUCER_PROPS);
        m.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(defaultLingerMs()));
        m.putAll(producerOverrides);
        return m;
    }

    Map<String, String> consumerProps() {
        Map<String, String> m = new LinkedHashMap<>(Workload.DEFAULT_CONSUMER_PROPS);
        m.putAll(consumerOverrides);
        return m;
    }

    /** The latency target: p99 at most batch-timeout + 50 ms. */
    double latencyTargetMillis() {
        return batchTimeout.toMillis() + 50.0;
    }

    /** The PUT target: at most one object per batch-timeout. */
    double putTargetPerSecond() {
        return 1000.0 / batchTimeout.toMillis();
    }

    void validate() {
        if (recordBytes < Payloads.HEADER_BYTES) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--record-bytes must be at least " + Payloads.HEADER_BYTES);
        }
        if (producers < 1 || partitions < 1 || putCheckPartitions < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--producers and partition counts must be positive");
        }
        if (latencyFraction <= 0 || latencyFraction > 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--latency-fraction must be in (0, 1]");
        }
        if (skipKafka && skipRunnel) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--skip-kafka and --skip-runnel leave nothing to run");
        }
    }

    @Override
    public Integer call() throws Exception {
        validate();
        Path home = Path.of(System.getProperty("runnel.home", ".")).toAbsolutePath().normalize();
        Path bin = runnelBin != null ? runnelBin : home.resolve("bin/runnel");
        Path kLib = kafkaLib != null ? kafkaLib : home.resolve("benchmarks/target/kafka-lib");
        Path benchLib = home.resolve("benchmarks/target/lib");
        String agentJavaOpts = runnelJavaOpts != null ? runnelJavaOpts : System.getenv("RUNNEL_JAVA_OPTS");
        Path base = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("runnel-log-benchmark-");

        for (String line : preamble(agentJavaOpts)) {
            err.println(line);
        }
        List<SystemRun> runs = new ArrayList<>();
        SystemRun kafka = null;
        SystemRun runnel = null;
        int code = 0;

        if (!skipKafka) {
            kafka = new SystemRun("Kafka " + KAFKA_VERSION, "Apache Kafka " + KAFKA_VERSION
                    + ", one KRaft node (broker+controller), own JVM, default flush policy (no fsync per message)");
            runs.add(kafka);
            Path dir = Files.createTempDirectory(base, "kafka-");
            String cp = kLib + "/*" + java.io.File.pathSeparator + benchLib + "/*";
            long t = System.nanoTime();
            progress("kafka", "starting broker (" + dir + ")");
            try (KafkaBroker broker = KafkaBroker.start(dir, cp, kafkaJavaOpts, kafkaProps, startTimeoutSeconds)) {
                running = broker;
                kafka.startSeconds = (System.nanoTime() - t) / 1e9;
                progress("kafka", String.format(Locale.ROOT, "broker ready at %s in %.1f s (pid %d, log %s)",
                        broker.bootstrap(), kafka.startSeconds, broker.pid(), broker.log()));
                runPhases(kafka, broker.bootstrap(), broker.pid(), null);
            } catch (Exception e) {
                kafka.problems.add("Kafka run failed: " + Workload.describe(e));
                progress("kafka", "FAILED: " + e.getMessage());
                code = 1;
            } finally {
                running = null;
                if (!keepData) {
                    Processes.deleteTree(dir);
                }
            }
        }

        if (!skipRunnel) {
            runnel = new SystemRun("Runnel", "Runnel agent (bin/runnel -target=agent), filesystem object store, "
                    + "-agent.batch-timeout=" + Durations.format(batchTimeout));
            runs.add(runnel);
            Path dir = Files.createTempDirectory(base, "runnel-");
            long t = System.nanoTime();
            progress("runnel", "starting agent: " + bin + " -target=agent (" + dir + ")");
            RunnelAgent agent = null;
            try {
                agent = RunnelAgent.start(bin, dir, batchTimeout, agentArgs, agentJavaOpts, startTimeoutSeconds);
                running = agent;
                runnel.startSeconds = (System.nanoTime() - t) / 1e9;
                progress("runnel", String.format(Locale.ROOT, "agent ready at %s in %.1f s (pid %d, metrics %s, log %s)",
                        agent.bootstrap(), runnel.startSeconds, agent.pid(), agent.metricsUri(), agent.log()));
                runPhases(runnel, agent.bootstrap(), agent.pid(), agent);
                if (!agent.alive()) {
                    runnel.problems.add("the agent process exited during the run; log tail:\n" + Processes.tail(agent.log(), 20));
                }
                String errors = logProblems(agent.log());
                if (!errors.isEmpty()) {
                    runnel.problems.add("agent log has ERROR/WARN/exception lines (first ones):\n" + errors);
                }
            } catch (Exception e) {
                runnel.problems.add("Runnel run failed: " + Workload.describe(e));
                progress("runnel", "FAILED: " + e.getMessage());
                code = 1;
            } finally {
                running = null;
                if (agent != null) {
                    agent.close();
                }
                if (!keepData) {
                    Processes.deleteTree(dir);
                }
            }
        }
        if (!keepData && workDir == null) {
            Processes.deleteTree(base);
        }

        out.println();
        for (String line : preamble(agentJavaOpts)) {
            out.println(line);
        }
        out.println();
        out.print(report(kafka, runnel));
        for (SystemRun r : runs) {
            for (String p : r.problems) {
                out.println("!! " + r.name + ": " + p);
            }
            if (r.read != null && !r.read.ok()) {
                code = Math.max(code, 2);
            }
        }
        if (json != null) {
            Files.writeString(json, Json.write(toJson(kafka, runnel, agentJavaOpts)), StandardCharsets.UTF_8);
            out.println("figures written to " + json);
        }
        return code;
    }

    private void runPhases(SystemRun run, String bootstrap, long serverPid, RunnelAgent agent) throws Exception {
        run.loadBefore = SystemRun.loadAverage();
        run.cpu = new CpuAccount(serverPid);
        try {
            runPhasesMeasured(run, bootstrap, agent);
        } finally {
            run.cpu.stop();
            run.loadAfter = SystemRun.loadAverage();
        }
        if (run.cpu.otherCores() > 0.25) {
            run.problems.add(String.format(Locale.ROOT, "other processes used %.2f cores of %d on average during this run: "
                    + "they skew these figures", run.cpu.otherCores(), Runtime.getRuntime().availableProcessors()));
        }
    }

    private void runPhasesMeasured(SystemRun run, String bootstrap, RunnelAgent agent) throws Exception {
        String tag = agent == null ? "kafka" : "runnel";
        Workload w = new Workload(new Workload.Settings(bootstrap, recordBytes, producers, producerProps(), consumerProps()));

        String maxTopic = "bench-max";
        if (phases.contains(Phase.max)) {
            maxPhase(run, w, tag, maxTopic, agent);
        }
        if (phases.contains(Phase.read) && run.max != null) {
            readPhase(run, w, tag, maxTopic);
        }
        if (phases.contains(Phase.latency)) {
            latencyPhase(run, w, tag, agent);
        }
        if (phases.contains(Phase.manyp) && !skipPutCheck) {
            manyPartitionPhase(run, bootstrap, w, tag, agent);
        }
        if (agent != null) {
            for (PutWindow pw : new PutWindow[]{run.maxPuts, run.latencyPuts, run.putCheckPuts}) {
                if (pw != null && pw.complete() && !pw.putMetricPresent()) {
                    run.problems.add("metric runnel_object_store_requests_total{operation=\"put\",outcome=\"success\"} missing from "
                            + agent.metricsUri());
                    break;
                }
            }
        }
    }

    private void maxPhase(SystemRun run, Workload w, String tag, String maxTopic, RunnelAgent agent) throws Exception {
        w.createTopic(maxTopic, partitions);
        progress(tag, "max throughput: " + producers + " producers, " + partitions + " partitions, "
                + Durations.format(warmup) + " warm-up + " + Durations.format(duration));
        run.maxPuts = agent == null ? null : new PutWindow(agent.metricsUri());
        run.max = w.maxThroughput(maxTopic, warmup, duration, probe(run.maxPuts));
        progress(tag, String.format(Locale.ROOT, "  %.1f MB/s, %.0f records/s, %,d acked in all, %d errors, tail drained in %.1f s",
                run.maxMBps(recordBytes), run.maxRecordsPerSecond(), run.max.ackedTotal, run.max.errorCount(),
                run.max.tailDrainSeconds));
        noteErrors(run, "max-throughput phase", run.max);
    }

    private void readPhase(SystemRun run, Workload w, String tag, String maxTopic) {
        progress(tag, "read-back of " + maxTopic + " from the beginning");
        run.read = w.readBack(maxTopic, run.max.acked, run.max.ackedTotal, readTimeout);
        progress(tag, String.format(Locale.ROOT, "  %.1f MB/s, %,d read, %,d distinct of %,d acked: %s",
                run.readMBps(), run.read.consumed, run.read.distinct, run.read.expectedAcked, readVerdict(run.read)));
        if (!run.read.ok()) {
            run.problems.add("read-back MISMATCH: " + readVerdict(run.read));
        }
    }

    private void latencyPhase(SystemRun run, Workload w, String tag, RunnelAgent agent) throws Exception {
        double maxRate = run.maxRecordsPerSecond();
        if (latencyRate == null && !(maxRate > 0)) {
            run.problems.add("no max records/s measured (and no --latency-rate): latency phase skipped");
        } else {
            String latTopic = "bench-latency";
            w.createTopic(latTopic, partitions);
            run.latencyRate = latencyRate != null ? latencyRate : maxRate * latencyFraction;
            progress(tag, String.format(Locale.ROOT, "latency: fixed rate %,.0f records/s (%.0f%% of max), %s warm-up + %s",
                    run.latencyRate, latencyFraction * 100, Durations.format(warmup), Durations.format(duration)));
            run.latencyPuts = agent == null ? null : new PutWindow(agent.metricsUri());
            run.latency = w.fixedRate(latTopic, run.latencyRate, 0, warmup, duration, probe(run.latencyPuts));
            progress(tag, String.format(Locale.ROOT, "  achieved %,.0f records/s; p50 %s ms, p99 %s ms, p99.9 %s ms, max %s ms",
                    SystemRun.achievedRate(run.latency), Table.millis(SystemRun.percentile(run.latency, 50)),
                    Table.millis(SystemRun.percentile(run.latency, 99)), Table.millis(SystemRun.percentile(run.latency, 99.9)),
                    Table.millis(SystemRun.percentile(run.latency, 100))));
            noteErrors(run, "latency phase", run.latency);
        }
    }

    private void manyPartitionPhase(SystemRun run, String bootstrap, Workload w, String tag, RunnelAgent agent)
            throws Exception {
        {
            String topic = "bench-" + putCheckPartitions + "p";
            w.createTopic(topic, putCheckPartitions);
            run.putCheckRate = putCheckMBps * 1e6 / recordBytes;
            progress(tag, String.format(Locale.ROOT, "%,d partitions: %.1f MB/s round-robin, %s warm-up + %s",
                    putCheckPartitions, putCheckMBps, Durations.format(warmup), Durations.format(putCheckDuration)));
            run.putCheckPuts = agent == null ? null : new PutWindow(agent.metricsUri());
            run.putCheck = putCheckWorkload(bootstrap).fixedRate(topic, run.putCheckRate, putCheckPartitions, warmup, putCheckDuration,
                    probe(run.putCheckPuts));
            progress(tag, String.format(Locale.ROOT, "  achieved %,.0f records/s; p99 %s ms; object PUTs/s %s",
                    SystemRun.achievedRate(run.putCheck), Table.millis(SystemRun.percentile(run.putCheck, 99)),
                    Table.num(SystemRun.putsPerSecond(run.putCheckPuts), 2)));
            noteErrors(run, putCheckPartitions + "-partition phase", run.putCheck);
        }
    }

    /**
     * The many-partition phase's producers: the same settings but kafka-clients' default batch.size. Every open
     * batch reserves batch.size of buffer.memory until it is acknowledged, so 1,000 partitions x 1 MiB would block
     * send() on buffer memory (for Kafka and Runnel alike) rather than measure the log.
     */
    Map<String, String> putCheckProducerProps() {
        Map<String, String> m = producerProps();
        m.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(putCheckBatchBytes));
        return m;
    }

    private Workload putCheckWorkload(String bootstrap) {
        return new Workload(new Workload.Settings(bootstrap, recordBytes, producers, putCheckProducerProps(), consumerProps()));
    }

    private static Workload.WindowProbe probe(PutWindow w) {
        return w == null ? Workload.WindowProbe.NONE : w;
    }

    private static void noteErrors(SystemRun run, String phase, Workload.ProduceResult r) {
        if (!r.errors.isEmpty()) {
            run.problems.add(phase + " errors: " + r.errors);
        }
    }

    static String readVerdict(Workload.ReadResult r) {
        if (r == null) {
            return "-";
        }
        if (r.ok()) {
            return "OK";
        }
        List<String> why = new ArrayList<>();
        if (r.error != null) {
            why.add(r.error);
        }
        if (r.timedOut) {
            why.add("timed out");
        }
        if (r.missingAcked > 0) {
            why.add(Table.count(r.missingAcked) + " acked missing");
        }
        if (r.duplicates > 0) {
            why.add(Table.count(r.duplicates) + " duplicates");
        }
        if (r.distinct != r.expectedAcked) {
            why.add(Table.count(r.distinct) + " distinct vs " + Table.count(r.expectedAcked) + " acked");
        }
        return "MISMATCH (" + String.join(", ", why) + ")";
    }

    private static String logProblems(Path log) {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(l -> l.contains("ERROR") || l.contains(" WARN") || l.contains("Exception"))
                    .limit(8).map(l -> "   " + (l.length() > 300 ? l.substring(0, 300) + "..." : l))
                    .collect(Collectors.joining("\n"));
        } catch (Exception e) {
            return "";
        }
    }

    private void progress(String tag, String msg) {
        err.printf(Locale.ROOT, "[%tT %s] %s%n", System.currentTimeMillis(), tag, msg);
    }

    List<String> preamble(String agentJavaOpts) {
        List<String> l = new ArrayList<>();
        l.add(String.format(Locale.ROOT, "Runnel log benchmark: %,d-byte random records, %d partitions, %d producer(s); "
                        + "each producing phase %s measured after %s warm-up",
                recordBytes, partitions, producers, Durations.format(duration), Durations.format(warmup)));
        l.add(String.format(Locale.ROOT, "machine: %d cores, Java %s; client and server share it; Kafka and Runnel run one "
                + "after the other, never at once", Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        l.add("producer settings (both systems): " + kv(producerProps()));
        if (!producerOverrides.containsKey(ProducerConfig.LINGER_MS_CONFIG)) {
            l.add("  linger.ms = batch-timeout / 5 in-flight requests, so one connection's requests cover one flush window "
                    + "(at Kafka's default linger.ms=5 they all leave in its first 25 ms and the rest wait a whole window more)");
        }
        if (!skipPutCheck) {
            l.add("  except the " + Table.count(putCheckPartitions) + "-partition phase: batch.size=" + putCheckBatchBytes
                    + " (each open batch holds batch.size of buffer.memory until acknowledged)");
        }
        l.add("consumer settings (both systems): " + kv(consumerProps()) + "; all partitions assigned, from the beginning");
        l.add("Kafka " + KAFKA_VERSION + ": one KRaft node (broker+controller) in its own JVM (" + kafkaJavaOpts
                + (kafkaProps.isEmpty() ? "" : ", server.properties overrides " + kv(kafkaProps))
                + "), Kafka's default flush policy (no log.flush.interval.*): acks=all on one node acknowledges once the "
                + "batch is in the page cache, before any fsync");
        l.add("Runnel: bin/runnel -target=agent -agent.batch-timeout=" + Durations.format(batchTimeout)
                + (agentArgs.isEmpty() ? "" : " " + String.join(" ", agentArgs))
                + ", filesystem object store" + (agentJavaOpts == null || agentJavaOpts.isBlank() ? "" : ", RUNNEL_JAVA_OPTS=" + agentJavaOpts)
                + ": acknowledges after its object write (fsync'd) and SQLite metadata commit (fsync'd)");
        return l;
    }

    private static String kv(Map<String, String> m) {
        return m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    String report(SystemRun kafka, SystemRun runnel) {
        String kName = kafka != null ? kafka.name : "Kafka (skipped)";
        String rName = runnel != null ? runnel.name : "Runnel (skipped)";
        Table t = new Table("", kName, rName, "Runnel/Kafka", "target (Runnel)");
        double kMax = kafka == null ? Double.NaN : kafka.maxMBps(recordBytes);
        double rMax = runnel == null ? Double.NaN : runnel.maxMBps(recordBytes);

        t.section("Max produce throughput (" + producers + " producers, " + partitions + " partitions, acks=all)");
        double ratio = rMax / kMax;
        t.row("  acknowledged MB/s", Table.num(kMax, 1), Table.num(rMax, 1), Table.ratio(rMax, kMax),
                verdict(">= 0.80x", Double.isNaN(ratio) || Double.isInfinite(ratio) ? null : ratio >= 0.8));
        t.row("  records/s", Table.num(get(kafka, SystemRun::maxRecordsPerSecond), 0),
                Table.num(get(runnel, SystemRun::maxRecordsPerSecond), 0),
                Table.ratio(get(runnel, SystemRun::maxRecordsPerSecond), get(kafka, SystemRun::maxRecordsPerSecond)), "");
        t.row("  producer errors", errs(kafka, r -> r.max), errs(runnel, r -> r.max), "", "");

        t.section(String.format(Locale.ROOT, "Ack latency at %.0f%% of each system's own max (ms, from scheduled send)", latencyFraction * 100));
        t.row("  target rate, records/s", Table.num(get(kafka, r -> r.latencyRate), 0), Table.num(get(runnel, r -> r.latencyRate), 0), "", "");
        t.row("  achieved, records/s", Table.num(get(kafka, r -> SystemRun.achievedRate(r.latency)), 0),
                Table.num(get(runnel, r -> SystemRun.achievedRate(r.latency)), 0), "", "");
        for (double p : new double[]{50, 99, 99.9, 100}) {
            double kv = get(kafka, r -> SystemRun.percentile(r.latency, p));
            double rv = get(runnel, r -> SystemRun.percentile(r.latency, p));
            String label = p == 100 ? "  max" : "  p" + (p == Math.rint(p) ? String.valueOf((int) p) : String.valueOf(p));
            String target = "";
            if (p == 99) {
                target = verdict(String.format(Locale.ROOT, "<= %.0f ms", latencyTargetMillis()),
                        Double.isNaN(rv) ? null : rv / 1000 <= latencyTargetMillis());
            }
            t.row(label, Table.millis(kv), Table.millis(rv), Table.ratio(rv, kv), target);
        }
        t.row("  producer errors", errs(kafka, r -> r.latency), errs(runnel, r -> r.latency), "", "");

        t.section("Consumer read-back of the max-throughput topic");
        t.row("  MB/s", Table.num(get(kafka, SystemRun::readMBps), 1), Table.num(get(runnel, SystemRun::readMBps), 1),
                Table.ratio(get(runnel, SystemRun::readMBps), get(kafka, SystemRun::readMBps)), "");
        t.row("  records/s", Table.num(get(kafka, SystemRun::readRecordsPerSecond), 0),
                Table.num(get(runnel, SystemRun::readRecordsPerSecond), 0), "", "");
        t.row("  records read / acked", readCounts(kafka), readCounts(runnel), "", "");
        t.row("  every acked record once", kafka == null ? "-" : readVerdict(kafka.read),
                runnel == null ? "-" : readVerdict(runnel.read), "", "");

        double putTarget = putTargetPerSecond();
        t.section(String.format(Locale.ROOT, "Object PUTs/s (agent /metrics; target <= 1/batch-timeout = %.2f/s)", putTarget));
        putRows(t, "max-throughput phase", runnel == null ? null : runnel.maxPuts, null);
        putRows(t, "latency phase, " + partitions + " partitions", runnel == null ? null : runnel.latencyPuts, putTarget);

        if (!skipPutCheck) {
            t.section(String.format(Locale.ROOT, "%,d partitions, %.1f MB/s round-robin (fixed rate)", putCheckPartitions, putCheckMBps));
            t.row("  achieved MB/s", Table.num(get(kafka, r -> SystemRun.achievedRate(r.putCheck) * recordBytes / 1e6), 2),
                    Table.num(get(runnel, r -> SystemRun.achievedRate(r.putCheck) * recordBytes / 1e6), 2), "", "");
            double k99 = get(kafka, r -> SystemRun.percentile(r.putCheck, 99));
            double r99 = get(runnel, r -> SystemRun.percentile(r.putCheck, 99));
            t.row("  p99 ack ms", Table.millis(k99), Table.millis(r99), Table.ratio(r99, k99),
                    verdict(String.format(Locale.ROOT, "<= %.0f ms", latencyTargetMillis()), Double.isNaN(r99) ? null : r99 / 1000 <= latencyTargetMillis()));
            t.row("  producer errors", errs(kafka, r -> r.putCheck), errs(runnel, r -> r.putCheck), "", "");
            putRows(t, "object PUTs", runnel == null ? null : runnel.putCheckPuts, putTarget);
        }
        t.section("Machine, averaged over all phases of each system");
        t.row("  CPU cores used, broker / agent process", cpu(kafka, CpuAccount::serverCores), cpu(runnel, CpuAccount::serverCores),
                Table.ratio(get(runnel, r -> r.cpu == null ? Double.NaN : r.cpu.serverCores()),
                        get(kafka, r -> r.cpu == null ? Double.NaN : r.cpu.serverCores())), "");
        t.row("  CPU cores used, benchmark client", cpu(kafka, CpuAccount::clientCores), cpu(runnel, CpuAccount::clientCores), "", "");
        t.row("  CPU cores used, other processes", cpu(kafka, CpuAccount::otherCores), cpu(runnel, CpuAccount::otherCores), "", "");
        t.row("  1-min load average before / after", load(kafka), load(runnel), "", "");
        StringBuilder sb = new StringBuilder(t.render());
        double kMany = get(kafka, r -> SystemRun.percentile(r.putCheck, 99));
        if (kMany > 1_000_000 && !kafkaProps.containsKey("log.index.size.max.bytes")) {
            sb.append("Kafka's many-partition p99 above 1 s: seen on this benchmark's 2-core VM with Kafka's default 10 MiB "
                    + "preallocated, mmap'd offset and time indexes (2 per partition, fresh); with "
                    + "--kafka-prop log.index.size.max.bytes=1048576 it was ~13 ms. Kafka defaults are kept here.\n");
        }
        sb.append("MB = 10^6 bytes. Latency = acknowledgement time - scheduled send time (HdrHistogram, no coordinated omission).\n");
        sb.append(String.format(Locale.ROOT, "PUT target check allows one extra PUT for the window edges (<= seconds x %.2f + 1); "
                + "PUTs of size-triggered flushes (batch-max-bytes reached) are left out of it.%n", putTarget));
        return sb.toString();
    }

    private void putRows(Table t, String label, PutWindow w, Double target) {
        if (w == null || !w.complete()) {
            t.row("  " + label, "n/a", w == null ? "-" : "no scrape", "", "");
            return;
        }
        double perSec = w.putsPerSecond();
        String verdict = "";
        if (target != null) {
            // A flush that reached batch-max-bytes is the throughput's doing, not the partition count's.
            double sizeFlushes = Double.isNaN(w.flushes("size")) ? 0 : w.flushes("size");
            boolean ok = !Double.isNaN(perSec) && w.puts() - sizeFlushes <= w.seconds() * target + 1;
            verdict = verdict(String.format(Locale.ROOT, "<= %.2f/s", target), Double.isNaN(perSec) ? null : ok);
        }
        t.row("  " + label + ", PUTs/s", "n/a", Double.isNaN(perSec) ? "metric missing" : Table.num(perSec, 2), "", verdict);
        t.row("    flushes by time / size", "", Table.num(w.flushes("time"), 0) + " / " + Table.num(w.flushes("size"), 0), "", "");
        t.row("    mean object KiB", "", Table.num(w.avgPutBytes() / 1024, 0), "", "");
        t.row("    agent flush ms: mean / p99 bucket", "", Table.num(w.flushDurationMeanMillis(), 0) + " / <= "
                + Table.num(w.flushDurationBoundMillis(0.99), 0), "", "");
        t.row("    agent produce request ms: p50 / p99 bucket", "", "<= " + Table.num(w.produceRequestBoundMillis(0.5), 0) + " / <= "
                + Table.num(w.produceRequestBoundMillis(0.99), 0), "", "");
        t.row("    object PUT ms: mean", "", Table.num(w.putDurationMeanMillis(), 1), "", "");
        double failed = w.failedPuts();
        if (failed > 0) {
            t.row("    failed PUTs", "", Table.num(failed, 0), "", "");
        }
    }

    private static String verdict(String target, Boolean pass) {
        return target + (pass == null ? "" : pass ? "  PASS" : "  FAIL");
    }

    private static String cpu(SystemRun r, java.util.function.ToDoubleFunction<CpuAccount> f) {
        return r == null || r.cpu == null ? "-" : Table.num(f.applyAsDouble(r.cpu), 2);
    }

    private static String load(SystemRun r) {
        return r == null ? "-" : Table.num(r.loadBefore, 2) + " / " + Table.num(r.loadAfter, 2);
    }

    private static String readCounts(SystemRun r) {
        if (r == null || r.read == null) {
            return "-";
        }
        return Table.count(r.read.consumed) + " / " + Table.count(r.read.expectedAcked);
    }

    private static String errs(SystemRun r, java.util.function.Function<SystemRun, Workload.ProduceResult> f) {
        if (r == null || f.apply(r) == null) {
            return "-";
        }
        return Table.count(f.apply(r).errorCount());
    }

    private static double get(SystemRun r, java.util.function.ToDoubleFunction<SystemRun> f) {
        return r == null ? Double.NaN : f.applyAsDouble(r);
    }

    private Map<String, Object> toJson(SystemRun kafka, SystemRun runnel, String agentJavaOpts) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("duration_seconds", duration.toMillis() / 1000.0);
        s.put("warmup_seconds", warmup.toMillis() / 1000.0);
        s.put("partitions", partitions);
        s.put("record_bytes", recordBytes);
        s.put("producers", producers);
        s.put("batch_timeout_ms", batchTimeout.toMillis());
        s.put("latency_fraction", latencyFraction);
        s.put("put_check_partitions", skipPutCheck ? null : putCheckPartitions);
        s.put("put_check_mb_per_second", skipPutCheck ? null : putCheckMBps);
        s.put("put_check_duration_seconds", putCheckDuration.toMillis() / 1000.0);
        s.put("producer", producerProps());
        s.put("put_check_producer", putCheckProducerProps());
        s.put("consumer", consumerProps());
        s.put("kafka_version", KAFKA_VERSION);
        s.put("kafka_java_opts", kafkaJavaOpts);
        s.put("kafka_props", kafkaProps);
        s.put("runnel_agent_args", agentArgs);
        s.put("runnel_java_opts", agentJavaOpts);
        s.put("cores", Runtime.getRuntime().availableProcessors());
        s.put("java", System.getProperty("java.version"));
        m.put("settings", s);
        Map<String, Object> systems = new LinkedHashMap<>();
        if (kafka != null) {
            systems.put("kafka", kafka.toJson(recordBytes));
        }
        if (runnel != null) {
            systems.put("runnel", runnel.toJson(recordBytes));
        }
        m.put("systems", systems);
        Map<String, Object> ratios = new LinkedHashMap<>();
        double kMax = get(kafka, r -> r.maxMBps(recordBytes));
        double rMax = get(runnel, r -> r.maxMBps(recordBytes));
        ratios.put("max_throughput", rMax / kMax);
        ratios.put("read_back", get(runnel, SystemRun::readMBps) / get(kafka, SystemRun::readMBps));
        ratios.put("latency_p99", get(runnel, r -> SystemRun.percentile(r.latency, 99)) / get(kafka, r -> SystemRun.percentile(r.latency, 99)));
        m.put("runnel_over_kafka", ratios);
        Map<String, Object> targets = new LinkedHashMap<>();
        targets.put("throughput_ratio_min", 0.8);
        targets.put("throughput_ratio_pass", Double.isNaN(rMax / kMax) ? null : rMax / kMax >= 0.8);
        double r99 = get(runnel, r -> SystemRun.percentile(r.latency, 99)) / 1000;
        targets.put("latency_p99_ms_max", latencyTargetMillis());
        targets.put("latency_p99_pass", Double.isNaN(r99) ? null : r99 <= latencyTargetMillis());
        targets.put("puts_per_second_max", putTargetPerSecond());
        PutWindow lat = runnel == null ? null : runnel.latencyPuts;
        PutWindow pc = runnel == null ? null : runnel.putCheckPuts;
        targets.put("latency_phase_puts_pass", lat == null || !lat.complete() || Double.isNaN(lat.puts()) ? null
                : lat.puts() <= lat.seconds() * putTargetPerSecond() + 1);
        targets.put("put_check_puts_pass", pc == null || !pc.complete() || Double.isNaN(pc.puts()) ? null
                : pc.puts() <= pc.seconds() * putTargetPerSecond() + 1);
        m.put("targets", targets);
        return m;
    }
}
