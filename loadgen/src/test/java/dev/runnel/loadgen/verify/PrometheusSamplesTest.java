package dev.runnel.loadgen.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusSamplesTest {
    record Read(Map<String, String> labels, List<Long> timestamps, List<Double> values) {
    }

    private static List<Read> parse(String json) throws IOException {
        List<Read> out = new ArrayList<>();
        PrometheusSamples.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), (labels, ts, vs, n) -> {
            List<Long> t = new ArrayList<>();
            List<Double> v = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                t.add(ts[i]);
                v.add(vs[i]);
            }
            out.add(new Read(labels, t, v));
        });
        return out;
    }

    @Test
    void readsAMatrixOfRawSamplesWithMillisecondTimestamps() throws IOException {
        List<Read> read = parse("""
                {"status":"success","data":{"resultType":"matrix","result":[
                  {"metric":{"__name__":"up","instance":"10.0.0.1:9100"},"values":[[1700000000.123,"1"],[1700000015,"2.5e+21"]]},
                  {"metric":{"__name__":"up","instance":"10.0.0.2:9100"},"values":[[1700000000.001,"NaN"],[1.7000000151E9,"+Inf"]]}
                ]},"warnings":["ignored"]}""");

        assertThat(read).hasSize(2);
        assertThat(read.get(0).labels()).containsExactly(Map.entry("__name__", "up"), Map.entry("instance", "10.0.0.1:9100"));
        assertThat(read.get(0).timestamps()).containsExactly(1_700_000_000_123L, 1_700_000_015_000L);
        assertThat(read.get(0).values()).containsExactly(1.0, 2.5e21);
        assertThat(read.get(1).timestamps()).containsExactly(1_700_000_000_001L, 1_700_000_015_100L);
        assertThat(read.get(1).values()).containsExactly(Double.NaN, Double.POSITIVE_INFINITY);
    }

    @Test
    void manySamplesGrowTheArrays() throws IOException {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            values.append(i == 0 ? "" : ",").append("[").append(1000 + i).append(",\"").append(i).append("\"]");
        }
        List<Read> read = parse("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},"
                + "\"values\":[" + values + "]}]}}");
        assertThat(read.get(0).timestamps()).hasSize(100).endsWith(1_099_000L);
    }

    @Test
    void refusesAnswersThatAreNotRawSamples() {
        assertThatThrownBy(() -> parse("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"))
                .hasMessageContaining("expected a matrix of raw samples, got a vector");
        assertThatThrownBy(() -> parse("{\"status\":\"error\",\"error\":\"boom\"}")).hasMessageContaining("status error");
        assertThatThrownBy(() -> parse("[]")).hasMessageContaining("unexpected query answer");
    }

    @Test
    void queriesARangeSelectorReachingOneMillisecondBeforeTheWindowAtItsLastMillisecond() {
        assertThat(PrometheusSamples.query("up", 1_000, 16_000)).isEqualTo("{__name__=\"up\"}[15000ms]");
        assertThat(PrometheusSamples.time(15_999)).isEqualTo("15.999");
        assertThat(PrometheusSamples.time(1_700_000_000_005L)).isEqualTo("1700000000.005");
    }
}
