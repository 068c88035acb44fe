package dev.runnel.querier.promql.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.querier.promql.script.ScriptRunner;
import dev.runnel.querier.promql.script.ScriptRunner.CaseResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs Prometheus v2.42.0's own PromQL test files (from {@code ../shared/promql-testdata},
 * beside the repository) against the engine. Cases known to fail are listed with a reason in
 * {@code promql/conformance-expected-failures.txt}; the test fails when an unlisted case fails
 * or a listed one passes, so the list can only shrink.
 */
class PrometheusConformanceTest {
  private static final String VERSION = "v2.42.0";

  @Test
  void prometheusTestFilesPass() throws IOException {
    Path dir = findTestData();
    Assumptions.assumeTrue(dir != null,
        "skipped: ../shared/promql-testdata/" + VERSION + " (Prometheus' PromQL test files) is not present");
    Map<String, String> expectedFailures = expectedFailures();
    List<CaseResult> results = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".test")).sorted().toList()) {
        results.addAll(new ScriptRunner().run(f.getFileName().toString(), Files.readString(f)));
      }
    }
    List<String> unexpectedFailures = new ArrayList<>();
    List<String> unexpectedPasses = new ArrayList<>();
    long passed = 0;
    for (CaseResult r : results) {
      boolean listed = expectedFailures.containsKey(r.id());
      if (r.passed()) {
        passed++;
        if (listed) {
          unexpectedPasses.add(r.id() + " " + r.query());
        }
      } else if (!listed) {
        unexpectedFailures.add(r.id() + " " + r.query() + "\n    " + r.failure());
      }
    }
    System.out.printf("PromQL conformance (Prometheus %s): %d of %d eval cases pass, %d expected failures%n",
        VERSION, passed, results.size(), expectedFailures.size());
    unexpectedFailures.forEach(f -> System.out.println("FAIL " + f));
    unexpectedPasses.forEach(p -> System.out.println("NOW PASSES (remove from the expected failures) " + p));
    assertThat(unexpectedFailures).as("failing cases not in the expected-failures list").isEmpty();
    assertThat(unexpectedPasses).as("cases in the expected-failures list that now pass").isEmpty();
  }

  private static Path findTestData() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolveSibling("shared").resolve("promql-testdata").resolve(VERSION);
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** Lines {@code file.test:line reason}; blank lines and {@code #} comments are skipped. */
  private static Map<String, String> expectedFailures() throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (InputStream in = PrometheusConformanceTest.class.getResourceAsStream("/promql/conformance-expected-failures.txt")) {
      if (in == null) {
        return out;
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        line = line.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split("\\s+", 2);
        out.put(parts[0], parts.length > 1 ? parts[1] : "");
      }
    }
    return out;
  }
}
