package dev.runnel.querier.promql.engine;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Engine settings.
 *
 * @param lookbackDeltaMillis how far back an instant selector looks for a sample (Prometheus: 5m)
 * @param maxSamples the most samples a query may hold; more fails the query
 * @param timeout how long a query may run
 * @param defaultSubqueryStepMillis the step of subqueries written without one ({@code [5m:]})
 * @param nanoClock the clock timeouts are measured with (injected by tests)
 */
public record EngineOptions(
    long lookbackDeltaMillis, long maxSamples, Duration timeout, long defaultSubqueryStepMillis, LongSupplier nanoClock) {
  public EngineOptions {
    if (lookbackDeltaMillis <= 0) {
      throw new IllegalArgumentException("lookbackDeltaMillis must be positive: " + lookbackDeltaMillis);
    }
    if (maxSamples <= 0) {
      throw new IllegalArgumentException("maxSamples must be positive: " + maxSamples);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    if (defaultSubqueryStepMillis <= 0) {
      throw new IllegalArgumentException("defaultSubqueryStepMillis must be positive: " + defaultSubqueryStepMillis);
    }
  }

  /** Prometheus' defaults: 5m lookback, 50M samples, 2m timeout, 1m subquery step. */
  public static EngineOptions defaults() {
    return new EngineOptions(5 * 60_000L, 50_000_000L, Duration.ofMinutes(2), 60_000L, System::nanoTime);
  }

  public EngineOptions withMaxSamples(long max) {
    return new EngineOptions(lookbackDeltaMillis, max, timeout, defaultSubqueryStepMillis, nanoClock);
  }

  public EngineOptions withLookbackDelta(long millis) {
    return new EngineOptions(millis, maxSamples, timeout, defaultSubqueryStepMillis, nanoClock);
  }

  public EngineOptions withTimeout(Duration t, LongSupplier clock) {
    return new EngineOptions(lookbackDeltaMillis, maxSamples, t, defaultSubqueryStepMillis, clock);
  }
}
