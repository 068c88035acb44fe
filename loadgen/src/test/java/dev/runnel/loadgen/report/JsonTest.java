package dev.runnel.loadgen.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writesIndentedJsonWithNaNAsNullAndIntegralDoublesAsIntegers() {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("a", List.of(1, 2.5, Double.NaN, Double.POSITIVE_INFINITY, 3.0, "x\"y\t"));
        report.put("b", true);
        report.put("c", null);
        report.put("d", Map.of());
        assertThat(Json.write(report)).isEqualTo("""
                {
                  "a": [
                    1,
                    2.5,
                    null,
                    null,
                    3,
                    "x\\"y\\t"
                  ],
                  "b": true,
                  "c": null,
                  "d": { }
                }
                """);
    }
}
