package dev.runnel.querier.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ParamsTest {
  @ParameterizedTest
  @CsvSource({
    "1700000000, 1700000000000",
    "1700000000.123, 1700000000123",
    "1700000000.1234, 1700000000123",
    "1700000000.0006, 1700000000001",
    "-1.5, -1500",
    "1e3, 1000000",
    "2023-11-14T22:13:20Z, 1700000000000",
    "2023-11-14T22:13:20.5+01:00, 1699996400500",
    "-292273086-05-16T16:47:06Z, -9223309901257974000",
    "292277025-08-18T07:12:54.999999999Z, 9223309901257974999",
  })
  void timesAreFloatSecondsOrRfc3339(String text, long millis) {
    assertThat(Params.parseTime(text)).isEqualTo(millis);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "now", "1d", " 1", "0x10", "NaN", "Inf", "1e400", "1e300", "2023-11-14"})
  void otherTimesAreRefused(String text) {
    assertThatThrownBy(() -> Params.parseTime(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot parse \"" + text + "\" to a valid timestamp");
  }

  @Test
  void prometheusMinAndMaxTimesAreItsDefaults() {
    assertThat(Params.MIN_TIME).isEqualTo(-9223309901257974000L);
    assertThat(Params.MAX_TIME).isEqualTo(9223309901257974999L);
  }
}
