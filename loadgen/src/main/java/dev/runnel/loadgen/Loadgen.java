package dev.runnel.loadgen;

import dev.runnel.loadgen.cost.CostModel;
import dev.runnel.loadgen.cost.CostOptions;
import dev.runnel.loadgen.cost.CostReport;
import dev.runnel.loadgen.report.PhaseResult;
import dev.runnel.loadgen.report.Progress;
import dev.runnel.loadgen.report.Report;
import dev.runnel.loadgen.send.Acknowledgements;
import dev.runnel.loadgen.report.html.HtmlReport;
import dev.runnel.loadgen.scrape.Scraper;
import dev.runnel.loadgen.send.RetryPolicy;
import dev.runnel.loadgen.send.Target;
import dev.runnel.loadgen.verify.Ledger;
import dev.runnel.loadgen.verify.PrometheusSamples;
import dev.runnel.loadgen.verify.Verifier;
import dev.runnel.loadgen.wire.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bin/loadgen}: sends Prometheus remote write to a URL and reports throughput and latency. */
@Command(name = "loadgen", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = Loadgen.Version.class,
        description = {
                "Sends Prometheus remote write (1.0 or 2.0) with realistic series to a URL, like Prometheus' queue: "
                        + "shards sending one snappy-compressed request at a time, retrying 5xx and 429 with backoff "
                        + "(30ms doubling to 5s), dropping other 4xx.",
                "At a fixed --rate, requests start at their intended times and latency is measured from those "
                        + "(no coordinated omission); at --rate 0 it runs closed loop for maximum throughput. "
                        + "--find-max does both: p99 at half of the maximum throughput.",
                ""})
public final class Loadgen implements Callable<Integer> {
    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080/api/v1/push",
            description = "Remote-write endpoint (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--protocol", defaultValue = "rw1", description = "rw1 or rw2 (default: ${DEFAULT-VALUE}).")
    String protocol;

    @Option(names = "--active-series", defaultValue = "10000",
            description = "Active series over all tenants (default: ${DEFAULT-VALUE}).")
    int activeSeries;

    @Option(names = "--labels-per-series", defaultValue = "10",
            description = "Labels per series, __name__ and instance included; at least 2 (default: ${DEFAULT-VALUE}).")
    int labelsPerSeries;

    @Option(names = "--series-churn-per-minute", defaultValue = "0",
            description = "Series replaced by new ones per minute of wall-clock time (default: ${DEFAULT-VALUE}).")
    double churnPerMinute;

    @Option(names = "--samples-per-request", defaultValue = "2000",
            description = "Samples per request, like Prometheus' max_samples_per_send (default: ${DEFAULT-VALUE}).")
    int samplesPerRequest;

    @Option(names = "--concurrency", defaultValue = "4",
            description = "Shards: each sends one request at a time over its own connection pool (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--tenants", defaultValue = "1",
            description = "Tenants, sent as X-Scope-OrgID: tenant-1..tenant-N; series are split evenly (default: ${DEFAULT-VALUE}).")
    int tenants;

    @Option(names = "--rate", defaultValue = "0",
            description = "Samples/s to send; 0 sends as fast as answers allow (closed loop) (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", defaultValue = "60s", converter = Durations.class,
            description = "Measured time (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "5s", converter = Durations.class,
            description = "Load sent before measuring, not counted (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--scrape-interval", defaultValue = "15s", converter = Durations.class,
            description = "Sample timestamps of a series advance by this per scrape round (default: ${DEFAULT-VALUE}).")
    Duration scrapeInterval;

    @Option(names = "--backfill", defaultValue = "24h", converter = Durations.class,
            description = "The first scrape round is this far in the past. Above active-series/scrape-interval "
                    + "samples/s the data clock runs faster than the wall clock; this keeps it behind now "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration backfill;

    @Option(names = "--timeout", defaultValue = "30s", converter = Durations.class,
            description = "Per HTTP exchange; a timeout is a network error and is retried (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--find-max", description = "Run closed loop for --find-max-duration to find the maximum samples/s, "
            + "then at half of it for --duration, and report latency there (--rate is ignored).")
    boolean findMax;

    @Option(names = "--find-max-duration", defaultValue = "10s", converter = Durations.class,
            description = "Measured time of the closed-loop phase of --find-max (default: ${DEFAULT-VALUE}).")
    Duration findMaxDuration;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every figure as JSON to FILE.")
    Path json;

    @Option(names = "--verify", description = "After the load, read every series written back through --query-url "
            + "and compare with what was acknowledged (2xx): exit 2 when a sample is missing, duplicated or wrong.")
    boolean verify;

    @Option(names = "--query-url", defaultValue = "http://127.0.0.1:8080/prometheus",
            description = "Prometheus query API prefix for --verify: Runnel's /prometheus, or a Prometheus or "
                    + "VictoriaMetrics root (default: ${DEFAULT-VALUE}).")
    URI queryUrl;

    @Option(names = "--verify-timeout", defaultValue = "60s", converter = Durations.class,
            description = "How long --verify reads again while samples are missing and the counts still change "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration verifyTimeout;

    /** Runnel's default {@code -ingester.retention}, for a warning. */
    private static final Duration RUNNEL_INGESTER_RETENTION = Duration.ofHours(2);

    @Option(names = "--report", paramLabel = "DIR", description = "Also write DIR/report.html (self-contained: latency "
            + "over time and by percentile, the cost comparison) and DIR/report.json.")
    Path reportDir;

    @Mixin
    CostOptions cost = new CostOptions();

    private final PrintStream out;
    private String[] args = new String[0];

    Loadgen(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(execute(System.out, args));
    }

    /** Runs {@code bin/loadgen args}, printing to {@code out}; returns the exit code. */
    public static int execute(PrintStream out, String... args) {
        Loadgen loadgen = new Loadgen(out);
        loadgen.args = args.clone();
        return new CommandLine(loadgen).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Protocol proto = parseProtocol();
        positive("--duration", duration);
        positive("--find-max-duration", findMaxDuration);
        if (warmup.isNegative()) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--warmup must not be negative: " + warmup.toMillis() + "ms");
        }
        if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--rate must be 0 or positive: " + rate);
        }
        Scraper scraper;
        try {
            cost.prices();
            scraper = cost.scraper();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage(), e);
        }
        Scraper.Snapshot before = scraper == null ? null : scraper.scrape();
        long first = System.currentTimeMillis() - backfill.toMillis();
        first -= Math.floorMod(first, Math.max(1, scrapeInterval.toMillis()));
        LoadRun run;
        Ledger ledger = new Ledger();
        try {
            Workload workload = new Workload(new Target(url, proto, "runnel-loadgen/" + version(), timeout),
                    activeSeries, labelsPerSeries, churnPerMinute, samplesPerRequest, concurrency, tenants,
                    scrapeInterval, first);
            run = new LoadRun(workload, RetryPolicy.PROMETHEUS, new Progress(System.err, System.console() != null),
                    verify ? ledger : Acknowledgements.NONE);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage(), e);
        }
        List<PhaseResult> phases = new ArrayList<>();
        if (findMax) {
            PhaseResult max = run.phase("max", 0, warmup, findMaxDuration);
            phases.add(max);
            if (max.samplesPerSecond() <= 0) {
                out.print(report(phases).table());
                throw new IllegalStateException("no samples were acknowledged in the closed-loop phase: nothing to halve");
            }
            phases.add(run.phase("half-max", max.samplesPerSecond() / 2, warmup, duration));
        } else {
            phases.add(run.phase(rate == 0 ? "max" : "fixed-rate", rate, warmup, duration));
        }
        Report report = report(phases);
        CostModel.Comparison comparison = scraper == null ? null : cost.compare(scraper.scrape().since(before));
        if (comparison != null) {
            report.addSection("cost", CostReport.toMap(comparison));
        }
        out.print(report.table());
        if (comparison != null) {
            out.print(CostReport.table(comparison));
        }
        long ahead = run.dataClockMillis() - System.currentTimeMillis();
        if (ahead > 0) {
            out.printf(Locale.ROOT, "warning: sample timestamps ran %,d s ahead of the wall clock (Runnel rejects more "
                    + "than its creation_grace_period, 10 min, ahead); raise --backfill or lower the rate%n", ahead / 1000);
        }
        if (json != null) {
            Files.writeString(json, report.json(), StandardCharsets.UTF_8);
        }
        if (reportDir != null) {
            HtmlReport.write(reportDir, report, comparison);
        }
        if (phases.stream().noneMatch(p -> p.samplesAcked() > 0)) {
            return 1;
        }
        if (verify) {
            return verify(ledger, run.dataClockMillis() - first);
        }
        return 0;
    }

    /** Reads everything back; 0 when nothing acknowledged is missing, duplicated or wrong, else 2. */
    private int verify(Ledger ledger, long spanMillis) throws InterruptedException {
        if (spanMillis > RUNNEL_INGESTER_RETENTION.toMillis()) {
            out.printf(Locale.ROOT, "warning: sample timestamps span %.1f h; Runnel's ingesters keep %d h behind the "
                    + "newest sample by default (-ingester.retention): older samples would be gone and show as missing%n",
                    spanMillis / 3.6e6, RUNNEL_INGESTER_RETENTION.toHours());
        }
        try {
            // one answer holds up to about 200,000 samples: give it at least the write timeout
            Duration queryTimeout = verifyTimeout.compareTo(timeout) > 0 ? verifyTimeout : timeout;
            Verifier.Outcome outcome = new Verifier(ledger, new PrometheusSamples(queryUrl, queryTimeout),
                    verifyTimeout, System.err).verify();
            out.print(outcome.table());
            return outcome.last().ok() ? 0 : 2;
        } catch (IOException e) {
            out.println("verify: FAILED: " + e.getMessage());
            return 2;
        }
    }

    private Report report(List<PhaseResult> phases) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("url", url.toString());
        settings.put("protocol", protocol.toLowerCase(Locale.ROOT));
        settings.put("active_series", activeSeries);
        settings.put("labels_per_series", labelsPerSeries);
        settings.put("series_churn_per_minute", churnPerMinute);
        settings.put("samples_per_request", samplesPerRequest);
        settings.put("concurrency", concurrency);
        settings.put("tenants", tenants);
        settings.put("rate", rate);
        settings.put("duration_seconds", duration.toMillis() / 1000.0);
        settings.put("warmup_seconds", warmup.toMillis() / 1000.0);
        settings.put("scrape_interval_seconds", scrapeInterval.toMillis() / 1000.0);
        settings.put("find_max", findMax);
        settings.put("version", version());
        return new Report("bin/loadgen " + String.join(" ", args), settings, phases);
    }

    private Protocol parseProtocol() {
        try {
            return Protocol.valueOf(protocol.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--protocol must be rw1 or rw2: '" + protocol + "'");
        }
    }

    private void positive(String option, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new CommandLine.ParameterException(new CommandLine(this), option + " must be positive: " + d.toMillis() + "ms");
        }
    }

    static String version() {
        try (InputStream in = Loadgen.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"runnel-loadgen " + Loadgen.version()};
        }
    }
}
