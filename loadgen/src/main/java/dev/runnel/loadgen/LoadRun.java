package dev.runnel.loadgen;

import dev.runnel.loadgen.report.PhaseResult;
import dev.runnel.loadgen.report.Progress;
import dev.runnel.loadgen.send.Acknowledgements;
import dev.runnel.loadgen.send.RetryPolicy;
import dev.runnel.loadgen.send.Schedule;
import dev.runnel.loadgen.send.Shard;
import dev.runnel.loadgen.send.Stats;
import dev.runnel.loadgen.series.SeriesGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Runs phases of load against one target. The series generators live as long as the run, so consecutive phases
 * (find-max, then the fixed rate) continue every series' timestamps instead of starting them over.
 */
final class LoadRun {
    private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Workload workload;
    private final RetryPolicy retryPolicy;
    private final Progress progress;
    private final Acknowledgements acks;
    private final List<List<SeriesGenerator>> generators;

    LoadRun(Workload workload, RetryPolicy retryPolicy, Progress progress) {
        this(workload, retryPolicy, progress, Acknowledgements.NONE);
    }

    /** @param acks told every batch sent and acknowledged, warm-up included (for {@code --verify}) */
    LoadRun(Workload workload, RetryPolicy retryPolicy, Progress progress, Acknowledgements acks) {
        this.workload = workload;
        this.acks = acks;
        this.retryPolicy = retryPolicy;
        this.progress = progress;
        this.generators = workload.generators(System.nanoTime());
    }

    /** The furthest any series' timestamps have got; call between phases (shards stopped). */
    long dataClockMillis() {
        long max = Long.MIN_VALUE;
        for (List<SeriesGenerator> shard : generators) {
            for (SeriesGenerator g : shard) {
                max = Math.max(max, g.dataClockMillis());
            }
        }
        return max;
    }

    /** Sends at {@code rate} samples/s (0: closed loop) for warm-up plus duration; figures cover the duration. */
    PhaseResult phase(String name, double rate, Duration warmup, Duration duration) throws InterruptedException {
        Stats stats = new Stats();
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + duration.toNanos();
        double requestsPerSecond = rate / workload.samplesPerRequest();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < workload.shards(); s++) {
            Schedule schedule = rate == 0 ? Schedule.closedLoop()
                    : Schedule.fixedRate(start, requestsPerSecond, s, workload.shards());
            Shard shard = new Shard(workload.target(), generators.get(s), workload.samplesPerRequest(), schedule,
                    retryPolicy, stats, acks, end);
            Thread t = new Thread(shard, "loadgen-" + name + "-shard-" + s);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        boolean measuring = warmup.isZero();
        long lastTick = start;
        long lastAcked = 0;
        for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
            LockSupport.parkNanos(Math.min(TICK_NANOS - (now - start) % TICK_NANOS, end - now));
            now = System.nanoTime();
            if (!measuring && now >= measureFrom) {
                stats.reset();
                measuring = true;
                lastAcked = 0;
            }
            stats.collect();
            long acked = stats.samplesAcked();
            Histogram latency = stats.latencyMicros();
            progress.update(now, measuring ? name : name + " (warm-up)",
                    (now - (measuring ? measureFrom : start)) / 1e9, (acked - lastAcked) * 1e9 / (now - lastTick),
                    latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(99) / 1000.0,
                    stats.errors());
            lastTick = now;
            lastAcked = acked;
        }
        long joinDeadline = System.nanoTime() + workload.target().timeout().toNanos() + TICK_NANOS;
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinDeadline - System.nanoTime())));
            t.interrupt();
        }
        progress.finish();
        stats.collect();
        double seconds = (Math.max(end, System.nanoTime()) - Math.max(start, measureFrom)) / 1e9;
        return new PhaseResult(name, rate, seconds, stats.samplesAcked(), stats.requestsAcked(),
                stats.samplesDropped(), stats.samplesFailed(), stats.retries(), stats.networkErrors(), stats.errors(),
                stats.statuses(), stats.latencyMicros(), stats.serviceMicros(), stats.intervals());
    }
}
