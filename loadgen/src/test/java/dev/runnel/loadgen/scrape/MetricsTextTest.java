package dev.runnel.loadgen.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetricsTextTest {

    @Test
    void readsSamplesSkippingCommentsAndBlankLines() {
        List<MetricsText.Sample> samples = MetricsText.parse("""
                # HELP runnel_network_bytes_total Bytes sent to and received from peers.
                # TYPE runnel_network_bytes_total counter
                runnel_network_bytes_total{direction="sent",local_zone="zone-a",peer="kafka-client",peer_zone="zone-b"} 1.5E7

                runnel_agent_connections 3
                process_start_time_seconds 1.7e9 1712345678000
                weird{a="x\\"y\\\\z\\nw", b="",} NaN
                up{} +Inf
                """);
        assertThat(samples).containsExactly(
                new MetricsText.Sample("runnel_network_bytes_total",
                        Map.of("direction", "sent", "local_zone", "zone-a", "peer", "kafka-client", "peer_zone", "zone-b"), 1.5e7),
                new MetricsText.Sample("runnel_agent_connections", Map.of(), 3),
                new MetricsText.Sample("process_start_time_seconds", Map.of(), 1.7e9),
                new MetricsText.Sample("weird", Map.of("a", "x\"y\\z\nw", "b", ""), Double.NaN),
                new MetricsText.Sample("up", Map.of(), Double.POSITIVE_INFINITY));
    }

    @Test
    void labelValuesMayHoldBracesCommasAndSpaces() {
        assertThat(MetricsText.parse("m{path=\"/a{b},c d\"} 1\n").get(0).labels()).containsEntry("path", "/a{b},c d");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "m{a=\"x\"",           // unterminated
            "m{a=x} 1",            // unquoted value
            "m{a=\"x\"} one",      // not a number
            "m 1 2 3",             // too many fields
            "{a=\"x\"} 1",         // no name
            "m{a=\"\\t\"} 1",      // unknown escape
            "m",                   // no value
    })
    void badLinesFailWithTheirLineNumber(String line) {
        assertThatThrownBy(() -> MetricsText.parse("ok 1\n" + line + "\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("line 2 is not a Prometheus text-format sample");
    }
}
