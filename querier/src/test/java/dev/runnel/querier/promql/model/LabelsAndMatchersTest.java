package dev.runnel.querier.promql.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabelsAndMatchersTest {
  @Test
  void labelsAreSortedAndCompareLikePrometheus() {
    Labels a = Labels.of("b", "2", "a", "1", "__name__", "up");
    assertThat(a.name(0)).isEqualTo("__name__");
    assertThat(a.toString()).isEqualTo("{__name__=\"up\", a=\"1\", b=\"2\"}");
    assertThat(a).isEqualTo(Labels.of("__name__", "up", "a", "1", "b", "2")).hasSameHashCodeAs(Labels.of("a", "1", "b", "2", "__name__", "up"));
    assertThat(Labels.of("a", "1").compareTo(Labels.of("a", "1", "b", "2"))).isNegative();
    assertThat(Labels.of("a", "2").compareTo(Labels.of("a", "1", "b", "2"))).isPositive();
    assertThat(a.withoutMetricName()).isEqualTo(Labels.of("a", "1", "b", "2"));
    assertThat(Labels.of("__address__", "x", "__name__", "y").withoutMetricName()).isEqualTo(Labels.of("__address__", "x"));
    assertThat(a.keep(Set.of("b"))).isEqualTo(Labels.of("b", "2"));
    assertThat(a.drop(Set.of("b"), true)).isEqualTo(Labels.of("a", "1"));
    assertThat(a.toBuilder().set("a", "").set("c", "3").build()).isEqualTo(Labels.of("__name__", "up", "b", "2", "c", "3"));
    assertThat(a.get("missing")).isEmpty();
  }

  @Test
  void regexMatchersAreAnchoredWithFastPaths() {
    Matcher alternation = Matcher.of(Matcher.Type.REGEX, "a", "foo|bar");
    assertThat(List.of("foo", "bar", "foobar", "xfoo", "")).filteredOn(alternation::matches).containsExactly("foo", "bar");
    Matcher prefix = Matcher.of(Matcher.Type.REGEX, "a", "api-.*");
    assertThat(List.of("api-1", "api-", "xapi-1", "api-\nx")).filteredOn(prefix::matches).containsExactly("api-1", "api-");
    Matcher general = Matcher.of(Matcher.Type.NOT_REGEX, "a", "[0-9]+");
    assertThat(List.of("12", "a12", "")).filteredOn(general::matches).containsExactly("a12", "");
    assertThat(Matcher.of(Matcher.Type.REGEX, "a", "(?P<x>a)b").matches("ab")).isTrue();
    assertThat(Matcher.of(Matcher.Type.REGEX, "a", ".*").matchesEmpty()).isTrue();
    assertThatThrownBy(() -> Matcher.of(Matcher.Type.REGEX, "a", "(")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid regular expression \"(\"");
  }

  @Test
  void staleMarkerIsOneNaNAmongOthers() {
    assertThat(StaleMarker.is(StaleMarker.VALUE)).isTrue();
    assertThat(StaleMarker.is(Double.NaN)).isFalse();
  }
}
