package dev.runnel.distributor.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.distributor.DistributorServer;
import dev.runnel.distributor.IngestLog;
import dev.runnel.distributor.TestRequests.ReadSeries;
import dev.runnel.distributor.TestRequests;
import dev.runnel.log.agent.LocalAgent;
import dev.runnel.proto.prometheus.Label;
import dev.runnel.proto.prometheus.TimeSeries;
import dev.runnel.proto.prometheus.write.v2.Metadata;
import dev.runnel.proto.prometheus.write.v2.Request;
import dev.runnel.proto.prometheus.write.v2.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Prometheus 2.42 remote-writes what it scrapes of itself into the distributor; the
 * records in the log must decode to exactly the samples Prometheus holds in its own TSDB.
 *
 * <p>Prometheus runs until it has sent a good number of samples and some metadata, and is then
 * stopped (it flushes its remote-write queues on the way out) and reopened on the same TSDB
 * without scraping or writing, so that what it holds no longer moves. Its samples are read back
 * with the remote read API, which, unlike PromQL, returns stale markers and NaN payloads bit for bit.
 */
class PrometheusRemoteWriteIT {
    private static final int PARTITIONS = 2;
    /** Prometheus 2.42 as packaged by Debian does not send the {@code headers} of its remote_write configuration. */
    private static final String TENANT = "anonymous";
    /** Remote write lags the TSDB: what Prometheus appended this shortly before it stopped may never have been sent. */
    private static final long SEND_LAG_MILLIS = 5_000;

    @TempDir
    static Path dir;
    private static LocalAgent agent;
    private static DistributorServer distributor;
    private static PrometheusServer prometheus;

    private static long stoppedAtMillis;
    /** Every sample of the log and of Prometheus' TSDB: the raw bits of each value, by series and timestamp. */
    private static Map<SampleKey, List<Long>> logged;
    private static Map<SampleKey, Long> inPrometheus;
    private static long samplesRetried;
    private static List<Request> records;

    private record SampleKey(Map<String, String> labels, long timestamp) {
    }

    @BeforeAll
    static void remoteWriteForAWhile() throws Exception {
        agent = LocalAgent.start(dir.resolve("agent"));
        distributor = DistributorServer.start(agent.bootstrap(), PARTITIONS, false);
        Path prometheusDir = Files.createDirectories(dir.resolve("prometheus"));
        prometheus = PrometheusServer.startWritingTo(prometheusDir, distributor.pushUri().toString());
        awaitSent(8_000, Duration.ofSeconds(40));

        stoppedAtMillis = System.currentTimeMillis();
        prometheus.close();
        prometheus = PrometheusServer.reopen(prometheusDir);

        inPrometheus = new HashMap<>();
        for (TimeSeries series : prometheus.readAll(0, System.currentTimeMillis() + 60_000)) {
            Map<String, String> labels = new TreeMap<>();
            for (Label label : series.getLabelsList()) {
                labels.put(label.getName(), label.getValue());
            }
            for (Sample sample : series.getSamplesList()) {
                inPrometheus.put(new SampleKey(labels, sample.getTimestamp()), Double.doubleToRawLongBits(sample.getValue()));
            }
            if (labels.get("__name__").equals("prometheus_remote_storage_samples_retried_total")) {
                samplesRetried += series.getSamplesList().stream().mapToLong(s -> (long) s.getValue()).max().orElse(0);
            }
        }

        records = IngestLog.byTenant(IngestLog.readAll(agent.bootstrap(), DistributorServer.TOPIC, PARTITIONS)).get(TENANT);
        logged = new HashMap<>();
        for (ReadSeries series : TestRequests.readAll(records)) {
            for (int i = 0; i < series.timestamps().size(); i++) {
                logged.computeIfAbsent(new SampleKey(series.labels(), series.timestamps().get(i)), k -> new ArrayList<>())
                        .add(series.valueBits().get(i));
            }
        }
    }

    /**
     * Polls Prometheus' own counters until it has sent {@code samples} samples and some metadata
     * successfully; fails at once if the distributor refused any (4xx: Prometheus drops them).
     */
    private static void awaitSent(long samples, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            double now = System.currentTimeMillis() / 1000.0;
            double failed = scalar("sum(prometheus_remote_storage_samples_failed_total)"
                    + " + sum(prometheus_remote_storage_metadata_failed_total)", now);
            if (failed > 0) {
                throw new AssertionError("the distributor refused " + failed + " samples or metadata: " + Files.readAllLines(
                        dir.resolve("prometheus/prometheus.log")).stream().filter(l -> l.contains("non-recoverable")).limit(3).toList());
            }
            double sent = scalar("sum(prometheus_remote_storage_samples_total) - sum(prometheus_remote_storage_samples_retried_total)", now);
            double metadata = scalar("sum(prometheus_remote_storage_metadata_total)", now);
            if (sent >= samples && metadata > 0) {
                return;
            }
            assertThat(System.nanoTime()).as("Prometheus sent %s of %d samples and %s metadata within %s", sent, samples, metadata,
                    timeout).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private static double scalar(String promql, double time) throws Exception {
        var result = prometheus.query(promql, time);
        return result.isEmpty() ? 0 : Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (distributor != null) {
            distributor.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void everySampleInTheLogIsInPrometheusBitForBit() {
        assertThat(logged).as("samples in the log").hasSizeGreaterThan(5_000);
        logged.forEach((key, bits) -> {
            assertThat(inPrometheus).as("Prometheus has %s", key).containsKey(key);
            assertThat(bits).as("value bits of %s", key).allMatch(b -> b.equals(inPrometheus.get(key)));
        });
    }

    @Test
    void everySampleOfPrometheusIsInTheLogUnlessAppendedJustBeforeItStopped() {
        long sendableBefore = stoppedAtMillis - SEND_LAG_MILLIS;
        List<SampleKey> missing = inPrometheus.keySet().stream()
                .filter(key -> key.timestamp() < sendableBefore && !logged.containsKey(key)).toList();
        assertThat(missing).as("samples Prometheus appended before %d that are not in the log", sendableBefore).isEmpty();
        assertThat(inPrometheus.keySet().stream().filter(key -> key.timestamp() < sendableBefore)).hasSizeGreaterThan(1_000);
    }

    /**
     * Our producer is idempotent, so it never writes a record twice by itself. A sample can be
     * in the log twice only if Prometheus sent it twice: it retries a whole batch after a 5xx,
     * a 429 or a timeout, and the first attempt may have been written anyway.
     */
    @Test
    void noSampleIsInTheLogTwiceUnlessPrometheusRetried() {
        long duplicates = logged.values().stream().mapToLong(bits -> bits.size() - 1).sum();
        if (samplesRetried == 0) {
            assertThat(duplicates).as("samples in the log more than once, while Prometheus retried none").isZero();
        } else {
            assertThat(duplicates).as("duplicates beyond the %d samples Prometheus retried", samplesRetried)
                    .isLessThanOrEqualTo(samplesRetried);
        }
    }

    @Test
    void metadataArrivesWithTheMetricType() {
        List<Metadata> httpRequests = new ArrayList<>();
        for (Request record : records) {
            for (var series : record.getTimeseriesList()) {
                if (series.hasMetadata() && series.getLabelsRefsCount() == 2
                        && record.getSymbols(series.getLabelsRefs(0)).equals("__name__")
                        && record.getSymbols(series.getLabelsRefs(1)).equals("prometheus_http_requests_total")) {
                    assertThat(record.getSymbols(series.getMetadata().getHelpRef())).as("help of prometheus_http_requests_total")
                            .isNotBlank();
                    httpRequests.add(series.getMetadata());
                }
            }
        }
        assertThat(httpRequests).as("metadata of prometheus_http_requests_total").isNotEmpty()
                .allMatch(m -> m.getType() == Metadata.MetricType.METRIC_TYPE_COUNTER);
    }
}
