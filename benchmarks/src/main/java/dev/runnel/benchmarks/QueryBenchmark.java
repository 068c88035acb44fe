package dev.runnel.benchmarks;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Query latency of Runnel's read path (querier HTTP API → fan-out → ingesters' gRPC → heads, all
 * in this JVM) against a real Prometheus 2.42 holding the same samples, side by side: each
 * iteration runs every query once against each, in alternating order, so both see the same noise.
 */
@Command(name = "query-benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "PromQL latency: Runnel's querier over its ingesters against Prometheus 2.42, same series, same queries.")
public final class QueryBenchmark implements Callable<Integer> {

    @Option(names = "--series", defaultValue = "100000", description = "Series of the counter m, 10 labels each (default: ${DEFAULT-VALUE}); "
            + "h_bucket adds a hundredth of that times 11 buckets.")
    int series;

    @Option(names = "--hours", defaultValue = "1", description = "Hours of samples, one every 15 s (default: ${DEFAULT-VALUE}).")
    int hours;

    @Option(names = "--iterations", defaultValue = "20", description = "Measured runs of each query on each system (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--warmup", defaultValue = "3", description = "Unmeasured runs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--partitions", defaultValue = "4", description = "Runnel partitions (ingester heads) the series spread over (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--runnel-only", description = "Skip Prometheus (e.g. to profile Runnel alone).")
    boolean runnelOnly;

    private record Query(String name, String path) {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new QueryBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        long step = 15_000;
        long end = System.currentTimeMillis() / step * step;
        long start = end - hours * 3_600_000L;
        QueryWorkload workload = new QueryWorkload(series, start, end, step);
        String at = seconds(end);
        List<Query> queries = List.of(
                new Query("sum by (job) (rate(m[5m]))", "query?time=" + at + "&query=" + encode("sum by (job) (rate(m[5m]))")),
                new Query("same, range " + hours + "h step 15s", "query_range?start=" + seconds(start) + "&end=" + at + "&step=15&query="
                        + encode("sum by (job) (rate(m[5m]))")),
                new Query("histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))", "query?time=" + at + "&query="
                        + encode("histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))")),
                new Query("count(m{instance=~\"host-1.*\"})", "query?time=" + at + "&query=" + encode("count(m{instance=~\"host-1.*\"})")));
        Path dir = Files.createTempDirectory("query-benchmark");
        HttpClient http = HttpClient.newHttpClient();
        System.err.printf("loading %,d series x %,d samples into Runnel's heads...%n", workload.labelSets().size(), workload.samplesPerSeries());
        try (RunnelReadPath runnel = new RunnelReadPath(partitions);
             PrometheusServer prometheus = runnelOnly ? null : PrometheusServer.start(dir)) {
            long t0 = System.nanoTime();
            runnel.load(workload);
            System.err.printf("  %.1f s%n", (System.nanoTime() - t0) / 1e9);
            if (prometheus != null) {
                System.err.println("remote-writing the same samples to Prometheus...");
                t0 = System.nanoTime();
                prometheus.load(workload);
                System.err.printf("  %.1f s%n", (System.nanoTime() - t0) / 1e9);
            }
            String[] bases = prometheus == null ? new String[] {runnel.baseUrl()} : new String[] {runnel.baseUrl(), prometheus.baseUrl()};
            long[][][] nanos = new long[queries.size()][bases.length][iterations];
            int[][] resultSeries = new int[queries.size()][bases.length];
            for (int it = -warmup; it < iterations; it++) {
                for (int q = 0; q < queries.size(); q++) {
                    for (int k = 0; k < bases.length; k++) {
                        int b = Math.floorMod(it + k, bases.length); // alternate which system goes first
                        long began = System.nanoTime();
                        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(bases[b] + "/api/v1/" + queries.get(q).path))
                                .build(), HttpResponse.BodyHandlers.ofString());
                        long took = System.nanoTime() - began;
                        if (answer.statusCode() != 200) {
                            throw new IllegalStateException(bases[b] + " answered " + answer.statusCode() + " to " + queries.get(q).name
                                    + ": " + answer.body());
                        }
                        resultSeries[q][b] = count(answer.body(), "\"metric\":");
                        if (it >= 0) {
                            nanos[q][b][it] = took;
                        }
                    }
                }
            }
            System.out.print(table(queries, nanos, resultSeries, prometheus != null).render());
            System.out.printf("%,d + %,d series, %,d samples each; %d iterations after %d warm-up; p99 of %d runs is about their maximum.%n",
                    series, workload.labelSets().size() - series, workload.samplesPerSeries(), iterations, warmup, iterations);
        } finally {
            Processes.deleteTree(dir);
        }
        return 0;
    }

    private static Table table(List<Query> queries, long[][][] nanos, int[][] resultSeries, boolean withPrometheus) {
        Table table = withPrometheus
                ? new Table("query", "Runnel p50 ms", "p99 ms", "Prometheus p50 ms", "p99 ms", "p50 ratio", "p99 ratio", "series R/P")
                : new Table("query", "Runnel p50 ms", "p99 ms", "series");
        for (int q = 0; q < queries.size(); q++) {
            double r50 = percentile(nanos[q][0], 50);
            double r99 = percentile(nanos[q][0], 99);
            if (withPrometheus) {
                double p50 = percentile(nanos[q][1], 50);
                double p99 = percentile(nanos[q][1], 99);
                String counts = resultSeries[q][0] + "/" + resultSeries[q][1] + (resultSeries[q][0] == resultSeries[q][1] ? "" : " MISMATCH");
                table.row(queries.get(q).name, Table.millis(r50), Table.millis(r99), Table.millis(p50), Table.millis(p99),
                        Table.ratio(r50, p50), Table.ratio(r99, p99), counts);
            } else {
                table.row(queries.get(q).name, Table.millis(r50), Table.millis(r99), Integer.toString(resultSeries[q][0]));
            }
        }
        return table;
    }

    /** Nearest-rank percentile, in microseconds. */
    private static double percentile(long[] nanos, double p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1000.0;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }

    private static String seconds(long ms) {
        return Double.toString(ms / 1000.0);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
