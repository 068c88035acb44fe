package dev.runnel.loadgen.report;

import dev.runnel.loadgen.send.IntervalLatency;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The figures of one measured phase (after its warm-up).
 *
 * @param targetRate samples/s asked for; 0 for closed loop (as fast as it goes)
 * @param latencyMicros answer minus intended start, acknowledged requests
 * @param serviceMicros answer minus send, every HTTP exchange
 * @param intervals     latency per reporting interval (about a second), for charts
 */
public record PhaseResult(String name, double targetRate, double seconds, long samplesAcked, long requestsAcked,
                          long samplesDropped, long samplesFailed, long retries, long networkErrors, long errors,
                          Map<Integer, Long> statuses, Histogram latencyMicros, Histogram serviceMicros,
                          List<IntervalLatency> intervals) {
    static final double[] PERCENTILES = {50, 90, 99, 99.9};

    public double samplesPerSecond() {
        return seconds > 0 ? samplesAcked / seconds : 0;
    }

    /** Milliseconds at {@code percentile} of {@code h}; NaN when nothing was recorded. */
    public static double millis(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    static double maxMillis(Histogram h) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1000.0;
    }

    /** Every figure, for {@code --json}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phase", name);
        m.put("target_samples_per_second", targetRate);
        m.put("closed_loop", targetRate == 0);
        m.put("seconds", seconds);
        m.put("samples_acked", samplesAcked);
        m.put("samples_per_second", samplesPerSecond());
        m.put("requests_acked", requestsAcked);
        m.put("samples_dropped_4xx", samplesDropped);
        m.put("samples_unacked_at_end", samplesFailed);
        m.put("retries", retries);
        m.put("network_errors", networkErrors);
        m.put("errors", errors);
        Map<String, Object> codes = new LinkedHashMap<>();
        statuses.forEach((code, n) -> codes.put(Integer.toString(code), n));
        m.put("answers_by_status", codes);
        m.put("latency_ms", percentiles(latencyMicros));
        m.put("service_time_ms", percentiles(serviceMicros));
        List<Object> perInterval = new ArrayList<>();
        for (IntervalLatency i : intervals) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("end_seconds", i.endSeconds());
            point.put("requests", i.count());
            point.put("p50_ms", i.p50Millis());
            point.put("p99_ms", i.p99Millis());
            point.put("max_ms", i.maxMillis());
            perInterval.add(point);
        }
        m.put("latency_per_interval", perInterval);
        return m;
    }

    private static Map<String, Object> percentiles(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.getTotalCount());
        for (double p : PERCENTILES) {
            m.put("p" + (p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p)), millis(h, p));
        }
        m.put("max", maxMillis(h));
        m.put("mean", h.getTotalCount() == 0 ? Double.NaN : h.getMean() / 1000.0);
        return m;
    }
}
