package dev.runnel.ingester.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.runnel.ingester.head.HeadConfig;
import dev.runnel.ingester.head.HeadStats;
import dev.runnel.ingester.head.PipelinedAppender;
import dev.runnel.ingester.head.TenantHead;
import dev.runnel.ingester.record.RecordDecoder;
import dev.runnel.proto.prometheus.write.v2.Request;
import dev.runnel.proto.prometheus.write.v2.Sample;
import dev.runnel.proto.prometheus.write.v2.TimeSeries;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays log records into a tenant head and reports samples per second and heap per series.
 * A command, not a test (run it with {@code ingester/bin/head-benchmark}):
 *
 * <pre>HeadReplayBenchmark [series=1000000] [scrapes=120] [seriesPerRecord=2000]</pre>
 *
 * Records are made with the generated {@code Request} builder, as the distributor would: every
 * series has 10 labels and one sample per record (one scrape per 15 s, as remote write sends
 * them). Building 120 scrapes of records up front would not fit in memory, so one scrape is
 * built, and before each replayed scrape its samples' timestamps and values are patched in
 * place (outside the timed part): the timestamp varint keeps its length for any time between
 * 2^35 and 2^42 ms. Values are counters growing by a per-series step. The records go through the
 * partition consumer's path: {@link RecordDecoder} on this thread, a {@link PipelinedAppender}
 * appending, waited for at the end of each scrape as the consumer waits at the end of a poll.
 * Besides wall-clock rates it prints samples per CPU second of the process, which stays
 * meaningful when other processes share the machine.
 */
public final class HeadReplayBenchmark {

    private static final long T0 = 1_700_000_000_000L;
    private static final long PLACEHOLDER_BITS = 0x4123456789abcdefL;
    private static final String APPENDER_THREAD = "bench-appender";

    /** What a replay measured. */
    record Result(long samples, double samplesPerSecond, double samplesPerCpuSecond, double heapBytesPerSeries) {
    }

    public static void main(String[] args) {
        int seriesCount = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int scrapes = args.length > 1 ? Integer.parseInt(args[1]) : 120;
        int perRecord = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        Result result = replay(seriesCount, scrapes, perRecord, T0);
        System.out.printf("heap: %,.0f bytes per series (%,.0f with %d samples at 2 bytes each allowed: %s)%n",
                result.heapBytesPerSeries(), 1024 + 2.0 * scrapes, scrapes,
                result.heapBytesPerSeries() <= 1024 + 2.0 * scrapes ? "within" : "OVER");
    }

    /**
     * Replays {@code scrapes} scrapes of {@code seriesCount} series ({@link #labels}), the first at
     * {@code t0} (between 2^35 and 2^42 ms), one every 15 s, series {@code i} at scrape {@code s}
     * having the value {@link #value}; prints progress and returns the figures.
     */
    static Result replay(int seriesCount, int scrapes, int perRecord, long t0) {
        List<byte[]> records = new ArrayList<>();
        List<int[]> sampleOffsets = new ArrayList<>();
        for (int first = 0; first < seriesCount; first += perRecord) {
            byte[] record = record(first, Math.min(first + perRecord, seriesCount));
            records.add(record);
            sampleOffsets.add(placeholders(record));
        }
        long recordBytes = records.stream().mapToLong(r -> r.length).sum();
        System.out.printf("%d series x 10 labels in %d records of %d series (%.1f MB per scrape)%n",
                seriesCount, records.size(), perRecord, recordBytes / 1e6);

        long heapBefore = usedHeapAfterGc();
        TenantHead head = new TenantHead("bench", new HeadConfig(Duration.ofHours(2), Duration.ZERO, Integer.MAX_VALUE));
        RecordDecoder decoder = new RecordDecoder();
        PipelinedAppender appender = new PipelinedAppender(APPENDER_THREAD);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long appenderThread = threadId(APPENDER_THREAD);
        long decodeNanos = 0;
        long decodeCpuNanos = 0;
        long samples = 0;
        long steadyNanos = 0;
        long steadyDecoderCpu = 0;
        long steadyAppenderCpu = 0;
        for (int scrape = 0; scrape < scrapes; scrape++) {
            long t = t0 + scrape * 15_000L;
            for (int r = 0; r < records.size(); r++) {
                patch(records.get(r), sampleOffsets.get(r), r * perRecord, scrape, t);
            }
            long start = System.nanoTime();
            long startCpu = os.getProcessCpuTime();
            long startDecoderCpu = threads.getCurrentThreadCpuTime();
            long startAppenderCpu = threads.getThreadCpuTime(appenderThread);
            for (byte[] record : records) {
                try {
                    decoder.decode(record, 0, record.length, head, appender);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            appender.awaitApplied();
            long nanos = System.nanoTime() - start;
            decodeNanos += nanos;
            decodeCpuNanos += os.getProcessCpuTime() - startCpu;
            samples += seriesCount;
            if (scrape > 0) {
                steadyNanos += nanos;
                steadyDecoderCpu += threads.getCurrentThreadCpuTime() - startDecoderCpu;
                steadyAppenderCpu += threads.getThreadCpuTime(appenderThread) - startAppenderCpu;
            }
            if (scrape == 0 || (scrape + 1) % 20 == 0) {
                System.out.printf("scrape %3d: %,.0f samples/s (%s)%n", scrape + 1, seriesCount / (nanos / 1e9),
                        scrape == 0 ? "creates every series" : "appends");
            }
        }
        appender.close();
        HeadStats stats = head.stats();
        long heapAfter = usedHeapAfterGc();
        Reference.reachabilityFence(head);
        double perSeries = (heapAfter - heapBefore) / (double) stats.series();
        Result result = new Result(samples, samples / (decodeNanos / 1e9), samples / (decodeCpuNanos / 1e9), perSeries);
        System.out.printf("replay: %,d samples in %.2f s = %,.0f samples/s (all scrapes); %,.0f samples per CPU second of the process (both replay threads, GC, JIT)%n",
                samples, decodeNanos / 1e9, result.samplesPerSecond(), result.samplesPerCpuSecond());
        if (scrapes > 1) {
            System.out.printf("steady state (scrapes 2-%d): %,.0f samples/s; the decoding thread ran %.0f%% of the time, the appender thread %.0f%%%n",
                    scrapes, (samples - seriesCount) / (steadyNanos / 1e9), 100.0 * steadyDecoderCpu / steadyNanos,
                    100.0 * steadyAppenderCpu / steadyNanos);
        }
        System.out.printf("head: %,d series, %,d chunks, %,d chunk bytes (%.2f bytes/sample), %,d samples appended%n",
                stats.series(), stats.chunks(), stats.chunkBytes(), stats.chunkBytes() / (double) stats.samplesAppended(),
                stats.samplesAppended());
        System.out.printf("heap: %,.0f MB for the head = %,.0f bytes per series%n", (heapAfter - heapBefore) / 1e6, perSeries);
        if (head.maxTime() != t0 + (scrapes - 1) * 15_000L || records.isEmpty()) {
            throw new IllegalStateException("unexpected head max time " + head.maxTime());
        }
        return result;
    }

    private static long threadId(String name) {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals(name)) {
                return thread.getId();
            }
        }
        throw new IllegalStateException("no thread " + name);
    }

    /** The value of series {@code i} at scrape {@code scrape}: a counter growing by a per-series step. */
    static double value(int i, int scrape) {
        return (double) scrape * (1 + i % 17);
    }

    /** Series {@code [from, to)} with one placeholder sample each, symbols deduplicated as the distributor does. */
    private static byte[] record(int from, int to) {
        Request.Builder request = Request.newBuilder().addSymbols("");
        Map<String, Integer> symbols = new HashMap<>();
        symbols.put("", 0);
        for (int i = from; i < to; i++) {
            TimeSeries.Builder series = TimeSeries.newBuilder();
            String[] labels = labels(i);
            for (String s : labels) {
                Integer ref = symbols.get(s);
                if (ref == null) {
                    ref = symbols.size();
                    symbols.put(s, ref);
                    request.addSymbols(s);
                }
                series.addLabelsRefs(ref);
            }
            series.addSamples(Sample.newBuilder().setTimestamp(T0).setValue(Double.longBitsToDouble(PLACEHOLDER_BITS)));
            request.addTimeseries(series);
        }
        byte[] body = request.build().toByteArray();
        byte[] value = new byte[body.length + 1];
        value[0] = RecordDecoder.VERSION;
        System.arraycopy(body, 0, value, 1, body.length);
        return value;
    }

    /** Ten labels, sorted by name, unique per series, with the cardinalities of a typical Kubernetes cluster. */
    static String[] labels(int i) {
        return new String[] {
            "__name__", "metric_" + (i % 500),
            "cluster", "cluster-" + (i % 3),
            "container", "container-" + (i / 500 % 40),
            "env", i % 2 == 0 ? "prod" : "staging",
            "instance", "10." + (i / 500 / 65536 % 256) + "." + (i / 500 / 256 % 256) + "." + (i / 500 % 256) + ":9100",
            "job", "job-" + (i / 500 % 25),
            "namespace", "namespace-" + (i / 500 % 30),
            "pod", "pod-" + Integer.toHexString(i / 500 * 7919),
            "region", "region-" + (i % 4),
            "zone", "zone-" + (i % 12),
        };
    }

    /** Offsets of the placeholder value bits (each followed by the timestamp's tag and varint). */
    private static int[] placeholders(byte[] record) {
        List<Integer> offsets = new ArrayList<>();
        for (int i = 0; i + 8 < record.length; i++) {
            if (record[i] == (byte) 0xef && record[i + 7] == (byte) 0x41 && readLong(record, i) == PLACEHOLDER_BITS && record[i + 8] == 0x10) {
                offsets.add(i);
            }
        }
        return offsets.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void patch(byte[] record, int[] offsets, int firstSeries, int scrape, long t) {
        for (int k = 0; k < offsets.length; k++) {
            int at = offsets[k];
            long bits = Double.doubleToRawLongBits(value(firstSeries + k, scrape));
            for (int b = 0; b < 8; b++) {
                record[at + b] = (byte) (bits >>> (8 * b));
            }
            long v = t;
            for (int b = 0; b < 6; b++) {
                record[at + 9 + b] = (byte) ((v & 0x7f) | (b < 5 ? 0x80 : 0));
                v >>>= 7;
            }
        }
    }

    private static long readLong(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[at + i] & 0xff);
        }
        return v;
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
