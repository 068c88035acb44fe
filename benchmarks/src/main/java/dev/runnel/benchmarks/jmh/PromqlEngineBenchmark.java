package dev.runnel.benchmarks.jmh;

import dev.runnel.querier.promql.engine.Engine;
import dev.runnel.querier.promql.engine.EngineOptions;
import dev.runnel.querier.promql.model.Labels;
import dev.runnel.querier.promql.storage.memory.MemoryStorage;
import dev.runnel.querier.promql.value.Value;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The PromQL engine over float series in memory, on one thread: 10,000 counters (10 jobs) with a
 * sample every 15s for an hour. {@code instant} is {@code sum by (job) (rate(m[5m]))} at the end,
 * {@code range} the same over the hour at a 1m step, {@code selector} a plain selector over the
 * hour. Run: {@code bin/jmh PromqlEngine}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PromqlEngineBenchmark {
  static final long START = 1_700_000_000_000L;
  static final long END = START + 3_600_000L;

  private final Engine engine = new Engine(EngineOptions.defaults());
  private final MemoryStorage storage = new MemoryStorage();

  @Setup
  public void load() {
    for (int s = 0; s < 10_000; s++) {
      Labels labels = Labels.of("__name__", "m", "job", "job-" + (s % 10), "instance", "i-" + s);
      double v = 0;
      for (long t = START; t <= END; t += 15_000) {
        v += (s % 7) + 1;
        storage.append(labels, t, v);
      }
    }
  }

  @Benchmark
  public Value instant() {
    return engine.instantQuery(storage, "sum by (job) (rate(m[5m]))", END).execute();
  }

  @Benchmark
  public Value range() {
    return engine.rangeQuery(storage, "sum by (job) (rate(m[5m]))", START, END, 60_000).execute();
  }

  @Benchmark
  public Value selector() {
    return engine.rangeQuery(storage, "m{job=\"job-1\"}", START, END, 60_000).execute();
  }
}
