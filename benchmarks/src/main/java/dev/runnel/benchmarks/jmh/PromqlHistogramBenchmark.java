package dev.runnel.benchmarks.jmh;

import dev.runnel.querier.promql.engine.Engine;
import dev.runnel.querier.promql.engine.EngineOptions;
import dev.runnel.querier.promql.model.Labels;
import dev.runnel.querier.promql.storage.memory.MemoryStorage;
import dev.runnel.querier.promql.value.FloatHistogram;
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
 * The PromQL engine over native histograms in memory, on one thread: 1,000 histogram counters
 * (schema 3, 24 populated buckets, 10 jobs) with a sample every 15s for an hour; the same queries
 * as {@link PromqlEngineBenchmark}, one per series' worth of floats replaced by a histogram.
 * Run: {@code bin/jmh PromqlHistogram}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PromqlHistogramBenchmark {
  private final Engine engine = new Engine(EngineOptions.defaults());
  private final MemoryStorage storage = new MemoryStorage();

  @Setup
  public void load() {
    FloatHistogram.Span[] spans = {new FloatHistogram.Span(-8, 24)};
    for (int s = 0; s < 1_000; s++) {
      Labels labels = Labels.of("__name__", "h", "job", "job-" + (s % 10), "instance", "i-" + s);
      double[] buckets = new double[24];
      double count = 0;
      double sum = 0;
      for (long t = PromqlEngineBenchmark.START; t <= PromqlEngineBenchmark.END; t += 15_000) {
        for (int b = 0; b < buckets.length; b++) {
          double add = (b * 7 + s) % 5;
          buckets[b] += add;
          count += add;
          sum += add * FloatHistogram.bound(b - 8, 3);
        }
        storage.append(labels, t, new FloatHistogram(3, 0, 0, count, sum, spans, buckets.clone(), new FloatHistogram.Span[0],
            new double[0]));
      }
    }
  }

  @Benchmark
  public Value instant() {
    return engine.instantQuery(storage, "sum by (job) (rate(h[5m]))", PromqlEngineBenchmark.END).execute();
  }

  @Benchmark
  public Value quantile() {
    return engine.instantQuery(storage, "histogram_quantile(0.9, sum by (job) (rate(h[5m])))", PromqlEngineBenchmark.END)
        .execute();
  }

  @Benchmark
  public Value range() {
    return engine.rangeQuery(storage, "sum by (job) (rate(h[5m]))", PromqlEngineBenchmark.START, PromqlEngineBenchmark.END,
        60_000).execute();
  }
}
