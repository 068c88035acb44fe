package dev.runnel.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** All figures of one system under test. */
final class SystemRun {
    final String name;
    final String description;
    double startSeconds = Double.NaN;
    double loadBefore = Double.NaN;
    double loadAfter = Double.NaN;
    CpuAccount cpu;
    Workload.ProduceResult max;
    PutWindow maxPuts;
    Workload.ReadResult read;
    double latencyRate = Double.NaN;
    Workload.ProduceResult latency;
    PutWindow latencyPuts;
    double putCheckRate = Double.NaN;
    Workload.ProduceResult putCheck;
    PutWindow putCheckPuts;
    final List<String> problems = new ArrayList<>();

    SystemRun(String name, String description) {
        this.name = name;
        this.description = description;
    }

    /** The 1-minute load average of the machine: other work on it skews every figure. */
    static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    double maxMBps(int recordBytes) {
        return max == null ? Double.NaN : max.windowAcked * (double) recordBytes / max.windowSeconds / 1e6;
    }

    double maxRecordsPerSecond() {
        return max == null ? Double.NaN : max.windowAcked / max.windowSeconds;
    }

    static double percentile(Workload.ProduceResult r, double p) {
        if (r == null || r.latencyMicros == null || r.latencyMicros.getTotalCount() == 0) {
            return Double.NaN;
        }
        Histogram h = r.latencyMicros;
        return p >= 100 ? h.getMaxValue() : h.getValueAtPercentile(p);
    }

    static double achievedRate(Workload.ProduceResult r) {
        return r == null ? Double.NaN : r.windowAcked / r.windowSeconds;
    }

    double readMBps() {
        return read == null || read.seconds <= 0 ? Double.NaN : read.bytes / read.seconds / 1e6;
    }

    double readRecordsPerSecond() {
        return read == null || read.seconds <= 0 ? Double.NaN : read.consumed / read.seconds;
    }

    static double putsPerSecond(PutWindow w) {
        return w == null || !w.complete() ? Double.NaN : w.putsPerSecond();
    }

    Map<String, Object> toJson(int recordBytes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("description", description);
        m.put("start_seconds", startSeconds);
        m.put("load_average_before", loadBefore);
        m.put("load_average_after", loadAfter);
        if (cpu != null) {
            m.put("cpu_cores_client", cpu.clientCores());
            m.put("cpu_cores_server", cpu.serverCores());
            m.put("cpu_cores_other_processes", cpu.otherCores());
        }
        if (max != null) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("mb_per_second", maxMBps(recordBytes));
            x.put("records_per_second", maxRecordsPerSecond());
            x.put("window_seconds", max.windowSeconds);
            x.put("window_acked_records", max.windowAcked);
            x.put("acked_records_total", max.ackedTotal);
            x.put("sent_records_total", max.sentTotal);
            x.put("tail_drain_seconds", max.tailDrainSeconds);
            x.put("errors", max.errors);
            x.put("object_puts", puts(maxPuts));
            m.put("max_throughput", x);
        }
        if (read != null) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("mb_per_second", readMBps());
            x.put("records_per_second", readRecordsPerSecond());
            x.put("seconds", read.seconds);
            x.put("expected_acked", read.expectedAcked);
            x.put("end_offsets_total", read.endOffsetsTotal);
            x.put("consumed", read.consumed);
            x.put("distinct", read.distinct);
            x.put("duplicates", read.duplicates);
            x.put("missing_acked", read.missingAcked);
            x.put("unacked_extra", read.unackedExtra);
            x.put("timed_out", read.timedOut);
            x.put("error", read.error);
            x.put("ok", read.ok());
            m.put("read_back", x);
        }
        if (latency != null) {
            m.put("latency", fixedRateJson(latency, latencyRate, latencyPuts, recordBytes));
        }
        if (putCheck != null) {
            m.put("put_check", fixedRateJson(putCheck, putCheckRate, putCheckPuts, recordBytes));
        }
        m.put("problems", problems);
        return m;
    }

    private static Map<String, Object> fixedRateJson(Workload.ProduceResult r, double rate, PutWindow w,
                                                     int recordBytes) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("target_records_per_second", rate);
        x.put("target_mb_per_second", rate * recordBytes / 1e6);
        x.put("achieved_records_per_second", achievedRate(r));
        x.put("window_seconds", r.windowSeconds);
        x.put("window_scheduled", r.windowScheduled);
        x.put("window_acked", r.windowAcked);
        x.put("latency_ms_p50", percentile(r, 50) / 1000);
        x.put("latency_ms_p99", percentile(r, 99) / 1000);
        x.put("latency_ms_p999", percentile(r, 99.9) / 1000);
        x.put("latency_ms_max", percentile(r, 100) / 1000);
        x.put("errors", r.errors);
        x.put("object_puts", puts(w));
        return x;
    }

    private static Map<String, Object> puts(PutWindow w) {
        if (w == null) {
            return null;
        }
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("seconds", w.complete() ? w.seconds() : Double.NaN);
        x.put("puts", w.puts());
        x.put("puts_per_second", putsPerSecond(w));
        x.put("failed_puts", w.failedPuts());
        x.put("avg_put_bytes", w.avgPutBytes());
        x.put("flushes_time", w.flushes("time"));
        x.put("flushes_size", w.flushes("size"));
        x.put("agent_flush_ms_mean", w.flushDurationMeanMillis());
        x.put("agent_flush_ms_p99_bucket_bound", w.flushDurationBoundMillis(0.99));
        x.put("agent_produce_request_ms_p50_bucket_bound", w.produceRequestBoundMillis(0.5));
        x.put("agent_produce_request_ms_p99_bucket_bound", w.produceRequestBoundMillis(0.99));
        x.put("object_put_ms_mean", w.putDurationMeanMillis());
        return x;
    }
}
