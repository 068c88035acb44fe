package dev.runnel.querier.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.querier.promql.model.Labels;
import dev.runnel.querier.promql.model.Matcher;
import dev.runnel.querier.promql.model.Series;
import dev.runnel.querier.promql.storage.Querier;
import dev.runnel.querier.promql.storage.memory.MemoryStorage;
import dev.runnel.querier.promql.value.Matrix;
import dev.runnel.querier.promql.value.Scalar;
import dev.runnel.querier.promql.value.StringValue;
import dev.runnel.querier.promql.value.Vector;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EngineTest {
  private final MemoryStorage storage = new MemoryStorage();
  private final Engine engine = new Engine(EngineOptions.defaults());

  @BeforeEach
  void load() {
    for (int s = 0; s < 10; s++) {
      Labels l = Labels.of("__name__", "m", "job", "j" + (s % 2), "i", Integer.toString(s));
      for (int t = 0; t <= 600; t += 15) {
        storage.append(l, t * 1000L, t);
      }
    }
  }

  @Test
  void instantQueriesReturnEachValueType() {
    assertThat(engine.instantQuery(storage, "1 + 2", 0).execute()).isEqualTo(new Scalar(0, 3));
    assertThat(engine.instantQuery(storage, "\"hi\"", 5).execute()).isEqualTo(new StringValue(5, "hi"));
    Vector v = (Vector) engine.instantQuery(storage, "sum by (job) (rate(m[5m]))", 600_000).execute();
    assertThat(v.samples()).extracting(s -> s.labels().get("job")).containsExactlyInAnyOrder("j0", "j1");
    assertThat(v.samples()).allSatisfy(s -> assertThat(s.value()).isEqualTo(5.0));
    Matrix m = (Matrix) engine.instantQuery(storage, "m{i=\"3\"}[1m]", 600_000).execute();
    assertThat(m.series()).hasSize(1);
    assertThat(m.series().get(0).size()).isEqualTo(5); // 540s..600s inclusive
  }

  @Test
  void rangeQueriesReturnSortedMatrices() {
    Matrix m = (Matrix) engine.rangeQuery(storage, "m{i=~\"1|0\"}", 0, 60_000, 30_000).execute();
    assertThat(m.series()).extracting(s -> s.labels().get("i")).containsExactly("0", "1");
    assertThat(m.series().get(0).size()).isEqualTo(3);
    Matrix scalar = (Matrix) engine.rangeQuery(storage, "time()", 0, 60_000, 30_000).execute();
    assertThat(scalar.series().get(0).labels()).isEqualTo(Labels.EMPTY);
    assertThat(scalar.series().get(0).value(2)).isEqualTo(60.0);
    assertThatThrownBy(() -> engine.rangeQuery(storage, "m[5m]", 0, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid expression type \"range vector\" for range query, must be Scalar or instant Vector");
    assertThatThrownBy(() -> engine.rangeQuery(storage, "m", 0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tooManySamplesFailsTheQuery() {
    Engine small = new Engine(EngineOptions.defaults().withMaxSamples(30));
    assertThat(((Vector) small.instantQuery(storage, "m", 600_000).execute()).samples()).hasSize(10);
    assertThatThrownBy(() -> small.instantQuery(storage, "sum_over_time(m[10m])", 600_000).execute())
        .isInstanceOf(QueryException.class)
        .hasMessage("query processing would load too many samples into memory in query execution")
        .extracting(e -> ((QueryException) e).reason()).isEqualTo(QueryException.Reason.TOO_MANY_SAMPLES);
    assertThatThrownBy(() -> small.rangeQuery(storage, "m", 0, 600_000, 15_000).execute())
        .isInstanceOf(QueryException.class);
  }

  @Test
  void aQueryPastItsTimeoutFails() {
    AtomicLong nanos = new AtomicLong();
    Engine timed = new Engine(EngineOptions.defaults().withTimeout(Duration.ofSeconds(1), nanos::get));
    // Each select moves the clock by 0.6s, so the deadline passes during evaluation.
    MemoryStorage slow = storage;
    dev.runnel.querier.promql.storage.Queryable ticking = (minT, maxT) -> new Querier() {
      private final Querier inner = slow.querier(minT, maxT);

      @Override
      public List<Series> select(long min, long max, List<Matcher> matchers) {
        nanos.addAndGet(600_000_000L);
        return inner.select(min, max, matchers);
      }

      @Override
      public List<String> labelNames(List<Matcher> matchers) {
        return inner.labelNames(matchers);
      }

      @Override
      public List<String> labelValues(String name, List<Matcher> matchers) {
        return inner.labelValues(name, matchers);
      }
    };
    String query = "m" + " + m".repeat(300);
    assertThatThrownBy(() -> timed.instantQuery(ticking, query, 600_000).execute())
        .isInstanceOf(QueryException.class)
        .extracting(e -> ((QueryException) e).reason()).isEqualTo(QueryException.Reason.TIMEOUT);
  }

  @Test
  void aCancelledQueryFails() {
    Query q = engine.instantQuery(storage, "sum(m)", 600_000);
    q.cancel();
    assertThatThrownBy(q::execute)
        .isInstanceOf(QueryException.class)
        .hasMessage("query was canceled");
  }

  @Test
  void manyToManyMatchingIsAnError() {
    assertThatThrownBy(() -> engine.instantQuery(storage, "m * on (job) m", 600_000).execute())
        .isInstanceOf(QueryException.class)
        .hasMessageStartingWith("found duplicate series for the match group {job=\"j0\"} on the right hand-side of the operation")
        .hasMessageEndingWith("many-to-many matching not allowed: matching labels must be unique on one side");
  }

  @Test
  void lookbackDeltaIsConfigurable() {
    Engine shortLookback = new Engine(EngineOptions.defaults().withLookbackDelta(10_000));
    assertThat(((Vector) shortLookback.instantQuery(storage, "m", 610_000).execute()).samples()).hasSize(10);
    assertThat(((Vector) shortLookback.instantQuery(storage, "m", 611_000).execute()).samples()).isEmpty();
  }
}
