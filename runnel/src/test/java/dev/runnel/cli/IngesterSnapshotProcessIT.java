package dev.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.proto.prometheus.Label;
import dev.runnel.proto.prometheus.write.v2.Sample;
import dev.runnel.proto.prometheus.TimeSeries;
import dev.runnel.proto.prometheus.WriteRequest;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binary killed with SIGKILL while its ingester has snapshots: the restarted process restores
 * the newest snapshot (no last one was taken) and replays the records after it, and then holds
 * every acknowledged sample exactly once.
 */
class IngesterSnapshotProcessIT {
    private static final Pattern SNAPSHOTS = Pattern.compile("runnel_ingester_snapshots_total\\{partition=\"0\"} (\\d+)");

    @TempDir
    Path dir;

    @Test
    void afterKill9TheIngesterRestoresItsNewestSnapshotAndHoldsEverySampleOnce() throws Exception {
        Path data = dir.resolve("data");
        List<String> flags = List.of("-agent.batch-timeout=20ms", "-data.fsync=false",
                "-ingest-storage.kafka.auto-create-topic-default-partitions=1", "-ingester.snapshot-interval=500ms");
        long base = System.currentTimeMillis() - Duration.ofMinutes(10).toMillis();
        int written = 0;
        try (RunnelProcess runnel = new RunnelProcess("all", data, flags).start()) {
            for (; written < 20; written++) {
                push(runnel, base, written);
            }
            awaitSnapshot(runnel);
            for (; written < 40; written++) {
                push(runnel, base, written);
            }
            runnel.kill();
        }
        try (RunnelProcess runnel = new RunnelProcess("all", data, flags).start()) {
            assertThat(Files.readString(runnel.logFile())).contains("ingester ingester-zone-a-0 loaded snapshot snapshots/ingest/0/a/");
            assertSamples(runnel, base, written);
            for (; written < 50; written++) {
                push(runnel, base, written);
            }
            assertSamples(runnel, base, written);
        }
    }

    /** Write {@code k}: sample k (value k, at base + k s) of three series. */
    private static void push(RunnelProcess runnel, long base, int k) throws Exception {
        WriteRequest.Builder request = WriteRequest.newBuilder();
        for (String instance : List.of("a", "b", "c")) {
            request.addTimeseries(TimeSeries.newBuilder()
                    .addLabels(Label.newBuilder().setName("__name__").setValue("snap"))
                    .addLabels(Label.newBuilder().setName("instance").setValue(instance))
                    .addSamples(Sample.newBuilder().setTimestamp(base + k * 1000L).setValue(k)));
        }
        HttpResponse<String> response = runnel.remoteWrite(request.build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static void awaitSnapshot(RunnelProcess runnel) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = SNAPSHOTS.matcher(runnel.http("/metrics"));
            if (m.find() && Integer.parseInt(m.group(1)) > 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no snapshot taken within 30 s");
    }

    /** Every series holds samples 0 .. written - 1, each once: count and sum over the window. */
    private static void assertSamples(RunnelProcess runnel, long base, int written) throws Exception {
        String at = "&time=" + (base + written * 1000L) / 1000.0;
        long sum = (long) written * (written - 1) / 2;
        String count = "count_over_time(snap[1h])";
        String total = "sum(sum_over_time(snap[1h]))";
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String counts = query(runnel, count, at);
        while (!counts.contains("\"" + written + "\"]") && System.nanoTime() < deadline) {
            Thread.sleep(100); // the last writes may still be on their way to the head
            counts = query(runnel, count, at);
        }
        assertThat(counts).startsWith("200 ");
        assertThat(counts.split("\"" + written + "\"]", -1)).as(counts).hasSize(4); // three series, each with every sample
        assertThat(query(runnel, total, at)).contains("\"" + 3 * sum + "\"]");
    }

    /** The query's answer; a timed-out request (the first queries of a fresh JVM can be slow on a loaded machine) is retried once. */
    private static String query(RunnelProcess runnel, String promql, String at) throws Exception {
        String path = "/prometheus/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + at;
        try {
            return runnel.http(path);
        } catch (HttpTimeoutException e) {
            return runnel.http(path);
        }
    }
}
