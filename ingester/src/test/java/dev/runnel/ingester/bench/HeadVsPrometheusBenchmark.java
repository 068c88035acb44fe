package dev.runnel.ingester.bench;

import dev.runnel.proto.prometheus.Label;
import dev.runnel.proto.prometheus.TimeSeries;
import dev.runnel.proto.prometheus.WriteRequest;
import dev.runnel.proto.prometheus.write.v2.Sample;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xerial.snappy.Snappy;

/**
 * The ingester's head next to Prometheus' own head on the same series, in one run. A command,
 * not a test (run it with {@code ingester/bin/head-vs-prometheus}):
 *
 * <pre>HeadVsPrometheusBenchmark [series=100000] [scrapes=120] [prometheus=prometheus]</pre>
 *
 * Both get {@link HeadReplayBenchmark#labels} series, one sample each per 15 s scrape ending
 * about now, with {@link HeadReplayBenchmark#value}s.
 * <ul>
 * <li>Runnel: log records (remote write 2.0, 2000 series each) replayed into a tenant head on
 *     two threads, as the partition consumer does ({@link HeadReplayBenchmark#replay}); heap is
 *     the JVM's used heap after {@code System.gc()}.</li>
 * <li>Prometheus: started on 127.0.0.1 with an empty scrape config and
 *     {@code --web.enable-remote-write-receiver}, fed the same scrapes by remote write 1.0 (2000
 *     series per request, two requests in flight), stopped, and started again: its replay rate is
 *     the samples over {@code prometheus_tsdb_data_replay_duration_seconds} (the WAL replay on
 *     start, which uses all cores); its heap is {@code go_memstats_heap_inuse_bytes} after a
 *     garbage collection forced through {@code /debug/pprof/heap?gc=1}, after the replay, less the
 *     same figure for an empty Prometheus; {@code process_resident_memory_bytes} is shown too.</li>
 * </ul>
 */
public final class HeadVsPrometheusBenchmark {

    private static final int PER_REQUEST = 2000;
    private static final Pattern METRIC = Pattern.compile("^(\\w+) ([-+.\\deE]+|NaN)$", Pattern.MULTILINE);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        int series = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int scrapes = args.length > 1 ? Integer.parseInt(args[1]) : 120;
        String binary = args.length > 2 ? args[2] : "prometheus";
        long t0 = (System.currentTimeMillis() - scrapes * 15_000L) / 15_000L * 15_000L;
        new HeadVsPrometheusBenchmark().run(series, scrapes, binary, t0);
    }

    private void run(int series, int scrapes, String binary, long t0) throws Exception {
        System.out.println("== Runnel head");
        HeadReplayBenchmark.Result runnel = HeadReplayBenchmark.replay(series, scrapes, PER_REQUEST, t0);

        System.out.println("== Prometheus head");
        Path dir = Files.createTempDirectory("head-vs-prometheus");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1h\n");
        int port = freePort();
        String base = "http://127.0.0.1:" + port;
        double emptyHeap;
        double ingestSeconds;
        try (PrometheusProcess p = PrometheusProcess.start(binary, config, dir.resolve("data"), port, dir.resolve("log-1.txt"))) {
            waitReady(base);
            emptyHeap = metrics(base, true).heapInuse();
            long start = System.nanoTime();
            push(base, series, scrapes, t0);
            ingestSeconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("remote write: %,d samples in %.1f s = %,.0f samples/s%n",
                    (long) series * scrapes, ingestSeconds, series * (double) scrapes / ingestSeconds);
        }
        Metrics replayed;
        try (PrometheusProcess p = PrometheusProcess.start(binary, config, dir.resolve("data"), port, dir.resolve("log-2.txt"))) {
            waitReady(base);
            replayed = metrics(base, true);
            if (replayed.headSeries() != series) {
                throw new IllegalStateException("Prometheus' head has " + replayed.headSeries() + " series after the replay, not " + series);
            }
        }
        long samples = (long) series * scrapes;
        double prometheusRate = samples / replayed.replaySeconds();
        double prometheusBytes = (replayed.heapInuse() - emptyHeap) / series;
        System.out.println();
        System.out.printf("%,d series x 10 labels x %d samples%n", series, scrapes);
        System.out.printf("%-34s %22s %22s%n", "", "Runnel head", "Prometheus 2.42 head");
        System.out.printf("%-34s %22s %22s%n", "replay, samples/s", String.format("%,.0f", runnel.samplesPerSecond()),
                String.format("%,.0f", prometheusRate));
        System.out.printf("%-34s %22s %22s%n", "  how", "2 threads, wall clock", "WAL replay, all cores");
        System.out.printf("%-34s %22s %22s%n", "  per CPU second of the process", String.format("%,.0f", runnel.samplesPerCpuSecond()), "-");
        System.out.printf("%-34s %22s %22s%n", "heap bytes per series", String.format("%,.0f", runnel.heapBytesPerSeries()),
                String.format("%,.0f", prometheusBytes));
        System.out.printf("%-34s %22s %22s%n", "  which heap", "JVM used after GC", "Go heap_inuse after GC");
        System.out.printf("%-34s %22s %22s%n", "resident bytes per series (whole process)", "-",
                String.format("%,.0f", replayed.resident() / series));
        deleteRecursively(dir);
    }

    /** Sends the scrapes in order; the requests of one scrape go two at a time. */
    private void push(String base, int series, int scrapes, long t0) throws Exception {
        List<List<Label>> labels = new ArrayList<>();
        for (int i = 0; i < series; i++) {
            String[] pairs = HeadReplayBenchmark.labels(i);
            List<Label> list = new ArrayList<>();
            for (int k = 0; k < pairs.length; k += 2) {
                list.add(Label.newBuilder().setName(pairs[k]).setValue(pairs[k + 1]).build());
            }
            labels.add(list);
        }
        ExecutorService senders = Executors.newFixedThreadPool(2);
        try {
            for (int scrape = 0; scrape < scrapes; scrape++) {
                long t = t0 + scrape * 15_000L;
                List<Future<?>> sent = new ArrayList<>();
                for (int first = 0; first < series; first += PER_REQUEST) {
                    int from = first;
                    int s = scrape;
                    sent.add(senders.submit(() -> {
                        WriteRequest.Builder request = WriteRequest.newBuilder();
                        for (int i = from; i < Math.min(series, from + PER_REQUEST); i++) {
                            request.addTimeseries(TimeSeries.newBuilder().addAllLabels(labels.get(i))
                                    .addSamples(Sample.newBuilder().setTimestamp(t).setValue(HeadReplayBenchmark.value(i, s))));
                        }
                        post(base + "/api/v1/write", Snappy.compress(request.build().toByteArray()));
                        return null;
                    }));
                }
                for (Future<?> f : sent) {
                    f.get();
                }
            }
        } finally {
            senders.shutdownNow();
        }
    }

    private void post(String url, byte[] body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(1))
                .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("Prometheus answered remote write with " + response.statusCode() + ": " + response.body());
        }
    }

    private record Metrics(double heapInuse, double resident, double replaySeconds, double headSeries) {
    }

    /** Prometheus' own metrics, after a forced garbage collection if {@code gc}. */
    private Metrics metrics(String base, boolean gc) throws IOException, InterruptedException {
        if (gc) {
            get(base + "/debug/pprof/heap?gc=1");
        }
        String text = get(base + "/metrics");
        return new Metrics(metric(text, "go_memstats_heap_inuse_bytes"), metric(text, "process_resident_memory_bytes"),
                metric(text, "prometheus_tsdb_data_replay_duration_seconds"), metric(text, "prometheus_tsdb_head_series"));
    }

    private static double metric(String text, String name) {
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new IllegalStateException("Prometheus' /metrics has no " + name);
    }

    private String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + response.statusCode());
        }
        return response.body();
    }

    /** Waits for /-/ready, which Prometheus answers 200 once the WAL replay is done. */
    private void waitReady(String base) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // keep waiting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Prometheus at " + base + " was not ready within 30 minutes");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** A Prometheus server process; closing stops it with SIGTERM and waits. */
    private record PrometheusProcess(Process process) implements AutoCloseable {

        static PrometheusProcess start(String binary, Path config, Path data, int port, Path log) throws IOException {
            Process p = new ProcessBuilder(binary, "--config.file=" + config, "--storage.tsdb.path=" + data,
                    "--web.listen-address=127.0.0.1:" + port, "--web.enable-remote-write-receiver")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new PrometheusProcess(p);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
        }
    }
}
