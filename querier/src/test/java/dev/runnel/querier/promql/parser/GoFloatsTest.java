package dev.runnel.querier.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoFloatsTest {
  // Expected strings are what Go 1.19's strconv.FormatFloat prints.
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "1|1|1e+00",
    "0.1|0.1|1e-01",
    "-1.5|-1.5|-1.5e+00",
    "1e-7|0.0000001|1e-07",
    "1.5e-7|0.00000015|1.5e-07",
    "1e21|1000000000000000000000|1e+21",
    "123456789.125|123456789.125|1.23456789125e+08",
    "2.82879384806159E17|282879384806159000|2.82879384806159e+17",
    "1.0E23|100000000000000000000000|1e+23",
    "0.30000000000000004|0.30000000000000004|3.0000000000000004e-01",
  })
  void formatsLikeGo(double v, String f, String e) {
    assertThat(GoFloats.formatF(v)).isEqualTo(f);
    assertThat(GoFloats.formatE(v)).isEqualTo(e);
  }

  @Test
  void extremesUseGosShortestDigits() {
    assertThat(GoFloats.formatF(Double.MIN_VALUE)).isEqualTo("0." + "0".repeat(323) + "5");
    assertThat(GoFloats.formatE(Double.MIN_VALUE)).isEqualTo("5e-324");
    assertThat(GoFloats.formatG(Double.MIN_VALUE)).isEqualTo("5e-324");
    assertThat(GoFloats.formatF(Double.MAX_VALUE)).isEqualTo("17976931348623157" + "0".repeat(292));
    assertThat(GoFloats.formatE(-Double.MAX_VALUE)).isEqualTo("-1.7976931348623157e+308");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"NaN|NaN", "Infinity|+Inf", "-Infinity|-Inf", "-0.0|-0", "0.0|0"})
  void specialValues(double v, String expected) {
    assertThat(GoFloats.formatF(v)).isEqualTo(expected);
    assertThat(GoFloats.formatG(v)).isEqualTo(expected);
  }
}
