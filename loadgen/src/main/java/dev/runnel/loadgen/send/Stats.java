package dev.runnel.loadgen.send;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the shards record, written by many shard threads and read by one reporting thread.
 *
 * <p>Latency is answer time minus intended start (see {@link Schedule}), recorded for acknowledged requests;
 * service time is answer time minus send time of every HTTP exchange, retries included. Both in microseconds, up
 * to an hour, three significant digits. The reporting thread calls {@link #collect()} to move what was recorded
 * since into its cumulative histograms (and the interval's latency into {@link #intervals()}), and {@link #reset()}
 * at the end of the warm-up.
 */
public final class Stats {
    private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);

    private final Recorder latency = new Recorder(HIGHEST_MICROS, 3);
    private final Recorder service = new Recorder(HIGHEST_MICROS, 3);
    private final Histogram latencyTotal = new Histogram(HIGHEST_MICROS, 3);
    private final Histogram serviceTotal = new Histogram(HIGHEST_MICROS, 3);
    private Histogram latencyInterval;
    private Histogram serviceInterval;
    private final LongAdder samplesAcked = new LongAdder();
    private final LongAdder requestsAcked = new LongAdder();
    private final LongAdder samplesDropped = new LongAdder();
    private final LongAdder samplesFailed = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder networkErrors = new LongAdder();
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final List<IntervalLatency> intervals = new ArrayList<>();
    private long intervalsFromNanos = System.nanoTime();

    void acked(int samples, long latencyNanos) {
        samplesAcked.add(samples);
        requestsAcked.increment();
        latency.recordValue(micros(latencyNanos));
    }

    void answered(int status, long serviceNanos) {
        statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
        service.recordValue(micros(serviceNanos));
    }

    /** A request answered with a status that is not retried (4xx). */
    void dropped(int samples) {
        samplesDropped.add(samples);
    }

    /** A request still unacknowledged when the run ended. */
    void failed(int samples) {
        samplesFailed.add(samples);
    }

    void retried() {
        retries.increment();
    }

    void networkError() {
        networkErrors.increment();
    }

    private static long micros(long nanos) {
        return Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1000));
    }

    /** Reporting thread: folds what was recorded since the last call into the cumulative histograms. */
    public synchronized void collect() {
        latencyInterval = latency.getIntervalHistogram(latencyInterval);
        serviceInterval = service.getIntervalHistogram(serviceInterval);
        latencyTotal.add(latencyInterval);
        serviceTotal.add(serviceInterval);
        long n = latencyInterval.getTotalCount();
        intervals.add(new IntervalLatency((System.nanoTime() - intervalsFromNanos) / 1e9, n,
                n == 0 ? Double.NaN : latencyInterval.getValueAtPercentile(50) / 1000.0,
                n == 0 ? Double.NaN : latencyInterval.getValueAtPercentile(99) / 1000.0,
                n == 0 ? Double.NaN : latencyInterval.getMaxValue() / 1000.0));
    }

    /** Reporting thread: forgets everything recorded so far (the warm-up). */
    public synchronized void reset() {
        collect();
        latencyTotal.reset();
        serviceTotal.reset();
        intervals.clear();
        intervalsFromNanos = System.nanoTime();
        samplesAcked.reset();
        requestsAcked.reset();
        samplesDropped.reset();
        samplesFailed.reset();
        retries.reset();
        networkErrors.reset();
        statuses.clear();
    }

    /** Cumulative latency in microseconds, as of the last {@link #collect()}. */
    public synchronized Histogram latencyMicros() {
        return latencyTotal.copy();
    }

    /** The latency of each interval between {@link #collect()}s since the start or the last {@link #reset()}. */
    public synchronized List<IntervalLatency> intervals() {
        return List.copyOf(intervals);
    }

    /** Cumulative service time in microseconds, as of the last {@link #collect()}. */
    public synchronized Histogram serviceMicros() {
        return serviceTotal.copy();
    }

    public long samplesAcked() {
        return samplesAcked.sum();
    }

    public long requestsAcked() {
        return requestsAcked.sum();
    }

    public long samplesDropped() {
        return samplesDropped.sum();
    }

    public long samplesFailed() {
        return samplesFailed.sum();
    }

    public long retries() {
        return retries.sum();
    }

    public long networkErrors() {
        return networkErrors.sum();
    }

    /** Answers by HTTP status, in status order. */
    public Map<Integer, Long> statuses() {
        Map<Integer, Long> out = new TreeMap<>();
        statuses.forEach((status, n) -> out.put(status, n.sum()));
        return out;
    }

    /** Errors: network errors plus answers other than 2xx. */
    public long errors() {
        long errors = networkErrors();
        for (Map.Entry<Integer, Long> e : statuses().entrySet()) {
            if (e.getKey() < 200 || e.getKey() >= 300) {
                errors += e.getValue();
            }
        }
        return errors;
    }
}
