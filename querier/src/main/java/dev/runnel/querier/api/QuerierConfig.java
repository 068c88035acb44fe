package dev.runnel.querier.api;

import dev.runnel.querier.promql.engine.EngineOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * The querier's query options, named after Mimir's flags.
 *
 * @param lookbackDelta how far back an instant selector looks for a sample ({@code -querier.lookback-delta}, 5m)
 * @param maxSamples the most samples one query may hold ({@code -querier.max-samples}, 50M)
 * @param timeout the longest a query may run ({@code -querier.timeout}, 2m); a request's
 *     {@code timeout} parameter can only shorten it
 * @param defaultSubqueryStep the step of subqueries written without one ({@code [5m:]}; 1m)
 * @param maxConcurrent how many requests are evaluated at once ({@code -querier.max-concurrent}, 20);
 *     more wait in line
 * @param multitenancy whether {@code X-Scope-OrgID} names the tenant ({@code -auth.multitenancy-enabled})
 * @param readConsistency each tenant's read consistency when a request does not choose one with
 *     {@value ConsistencyLevel#HEADER} ({@code -querier.read-consistency}, eventual)
 */
public record QuerierConfig(Duration lookbackDelta, long maxSamples, Duration timeout, Duration defaultSubqueryStep,
    int maxConcurrent, boolean multitenancy, Function<String, ConsistencyLevel> readConsistency) {
  public QuerierConfig {
    Objects.requireNonNull(readConsistency, "readConsistency");
    positive("lookbackDelta", lookbackDelta);
    positive("timeout", timeout);
    positive("defaultSubqueryStep", defaultSubqueryStep);
    if (maxSamples <= 0) {
      throw new IllegalArgumentException("maxSamples must be positive: " + maxSamples);
    }
    if (maxConcurrent <= 0) {
      throw new IllegalArgumentException("maxConcurrent must be positive: " + maxConcurrent);
    }
  }

  /** Mimir's defaults, with multitenancy on. */
  public static QuerierConfig defaults() {
    return new QuerierConfig(Duration.ofMinutes(5), 50_000_000L, Duration.ofMinutes(2), Duration.ofMinutes(1), 20, true,
        tenant -> ConsistencyLevel.EVENTUAL);
  }

  public QuerierConfig withMultitenancy(boolean enabled) {
    return new QuerierConfig(lookbackDelta, maxSamples, timeout, defaultSubqueryStep, maxConcurrent, enabled, readConsistency);
  }

  public QuerierConfig withMaxSamples(long max) {
    return new QuerierConfig(lookbackDelta, max, timeout, defaultSubqueryStep, maxConcurrent, multitenancy, readConsistency);
  }

  public QuerierConfig withReadConsistency(Function<String, ConsistencyLevel> ofTenant) {
    return new QuerierConfig(lookbackDelta, maxSamples, timeout, defaultSubqueryStep, maxConcurrent, multitenancy, ofTenant);
  }

  EngineOptions engineOptions() {
    return new EngineOptions(lookbackDelta.toMillis(), maxSamples, timeout, defaultSubqueryStep.toMillis(), System::nanoTime);
  }

  private static void positive(String name, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }
}
