package dev.runnel.ingester.bench;

import dev.runnel.ingester.head.HeadConfig;
import dev.runnel.ingester.head.HeadStats;
import dev.runnel.ingester.head.TenantHead;
import dev.runnel.ingester.labels.Labels;
import dev.runnel.proto.prometheus.write.v2.BucketSpan;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.Random;

/**
 * Heap and chunk bytes per native histogram sample in a tenant head. A command, not a test (run
 * it with {@code ingester/bin/head-benchmark --histograms}):
 *
 * <pre>HistogramHeadBenchmark [series=10000] [samples=120] [buckets=20]</pre>
 *
 * Each series is a counter histogram (schema 3, one span of {@code buckets} buckets, integer
 * counts) scraped every 15 s; each scrape adds a random number of observations (0 to 9 per
 * bucket) and a sum that grows by a random amount, so sums and counts compress as real ones do,
 * not as constants would. Uses only the head's public API.
 */
public final class HistogramHeadBenchmark {

    private static final long T0 = 1_700_000_000_000L;

    public static void main(String[] args) {
        int seriesCount = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 120;
        int buckets = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Random random = new Random(1);
        long[][] counts = new long[seriesCount][buckets];
        double[] sums = new double[seriesCount];
        long messageBytes = 0;

        long heapBefore = usedHeapAfterGc();
        TenantHead head = new TenantHead("bench", new HeadConfig(Duration.ofHours(2), Duration.ZERO, Integer.MAX_VALUE));
        int[] refs = new int[seriesCount];
        for (int s = 0; s < seriesCount; s++) {
            refs[s] = head.refOf(Labels.of("__name__", "request_duration_seconds", "instance", "host-" + s, "job", "api"));
        }
        long heapSeries = usedHeapAfterGc();
        for (int i = 0; i < samples; i++) {
            long t = T0 + 15_000L * i;
            for (int s = 0; s < seriesCount; s++) {
                Histogram h = next(counts[s], sums[s] += random.nextDouble() * 10, t, random);
                messageBytes += h.getSerializedSize();
                head.appendHistogram(refs[s], t, h);
            }
        }
        HeadStats stats = head.stats();
        long heapAfter = usedHeapAfterGc();
        Reference.reachabilityFence(head);
        long total = (long) seriesCount * samples;
        System.out.printf("%,d series x %d histogram samples of %d buckets: %,.1f bytes per remote-write message%n",
                seriesCount, samples, buckets, messageBytes / (double) total);
        System.out.printf("chunks: %,d chunks, %,.2f chunk bytes/sample (the chunks' sizeBytes)%n",
                stats.chunks(), stats.chunkBytes() / (double) total);
        System.out.printf("heap: %,.2f bytes/sample for the samples (heap after GC, series without samples subtracted), %,.0f bytes/series in all%n",
                (heapAfter - heapSeries) / (double) total, (heapAfter - heapBefore) / (double) seriesCount);
    }

    private static Histogram next(long[] counts, double sum, long t, Random random) {
        Histogram.Builder h = Histogram.newBuilder().setTimestamp(t).setSchema(3).setSum(sum)
                .addPositiveSpans(BucketSpan.newBuilder().setOffset(-5).setLength(counts.length));
        long total = 0;
        long previous = 0;
        for (int k = 0; k < counts.length; k++) {
            counts[k] += random.nextInt(10);
            total += counts[k];
            h.addPositiveDeltas(counts[k] - previous);
            previous = counts[k];
        }
        return h.setCountInt(total).build();
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
