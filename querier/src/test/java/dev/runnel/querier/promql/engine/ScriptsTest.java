package dev.runnel.querier.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.querier.promql.script.ScriptRunner;
import dev.runnel.querier.promql.script.ScriptRunner.CaseResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our own evaluation scripts under {@code src/test/resources/promql/scripts}. */
class ScriptsTest {
  @ParameterizedTest
  @ValueSource(strings = {"range_queries.test", "subqueries.test", "matching.test", "functions.test", "native_histograms.test"})
  void scriptPasses(String name) throws IOException {
    String script;
    try (InputStream in = getClass().getResourceAsStream("/promql/scripts/" + name)) {
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<CaseResult> results = new ScriptRunner().run(name, script);
    assertThat(results).isNotEmpty();
    assertThat(results).filteredOn(r -> !r.passed())
        .extracting(r -> r.id() + " " + r.query() + ": " + r.failure())
        .isEmpty();
  }
}
