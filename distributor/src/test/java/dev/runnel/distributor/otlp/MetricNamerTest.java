package dev.runnel.distributor.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetricNamerTest {

    private static final MetricNamer ESCAPED = new MetricNamer(OtlpOptions.DEFAULTS);
    private static final MetricNamer ESCAPED_SUFFIXES = new MetricNamer(OtlpOptions.DEFAULTS.withAddSuffixes(true));
    private static final MetricNamer UTF8 = new MetricNamer(OtlpOptions.DEFAULTS.withUtf8Names(true));
    private static final MetricNamer UTF8_SUFFIXES =
            new MetricNamer(OtlpOptions.DEFAULTS.withUtf8Names(true).withAddSuffixes(true));

    @ParameterizedTest(name = "{0} [{1}] {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "http.server.duration | s  | HISTOGRAM | http_server_duration",
            "requests             |    | COUNTER   | requests",
            "foo--bar             |    | GAUGE     | foo_bar",
            "foo__bar             |    | GAUGE     | foo__bar",
            "2xx.count            |    | GAUGE     | _2xx_count",
            ".foo:bar             |    | GAUGE     | foo:bar",
            "unicode.ñame         |    | GAUGE     | unicode_ame",
            "...                  |    | GAUGE     | null",
    })
    void escapesWithoutSuffixesByDefault(String name, String unit, MetricKind kind, String expected) {
        assertThat(ESCAPED.build(name, unit == null ? "" : unit, kind)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} [{1}] {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "http.server.duration | s          | HISTOGRAM         | http_server_duration_seconds",
            "system.memory.usage  | By         | GAUGE             | system_memory_usage_bytes",
            "requests             | ''         | COUNTER           | requests_total",
            "requests_total       | ''         | COUNTER           | requests_total",
            "total.requests       | ''         | COUNTER           | requests_total",
            "cpu.utilization      | 1          | GAUGE             | cpu_utilization_ratio",
            "cpu.utilization      | 1          | NON_MONOTONIC_SUM | cpu_utilization",
            "errors               | 1          | COUNTER           | errors_total",
            "network.io           | By/s       | GAUGE             | network_io_bytes_per_second",
            "active.requests      | {request}  | NON_MONOTONIC_SUM | active_requests",
            "packets              | {packet}/s | GAUGE             | packets_per_second",
            "duration_seconds     | s          | HISTOGRAM         | duration_seconds",
            "memory               | KiBy       | GAUGE             | memory_kibibytes",
            "temperature          | Cel        | GAUGE             | temperature_celsius",
            "thing                | custom-unit| GAUGE             | thing_custom_unit",
            "rate                 | m/h        | GAUGE             | rate_meters_per_hour",
            "foo__bar             | ''         | GAUGE             | foo_bar",
            "2xx                  | ''         | COUNTER           | _2xx_total",
            "rpc.latency          | ms         | SUMMARY           | rpc_latency_milliseconds",
            "...                  | ''         | GAUGE             | null",
    })
    void escapesWithSuffixes(String name, String unit, MetricKind kind, String expected) {
        assertThat(ESCAPED_SUFFIXES.build(name, unit, kind)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} [{1}] {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "http.server.duration | s    | HISTOGRAM | http.server.duration | http.server.duration_seconds",
            "requests.total       | ''   | COUNTER   | requests.total       | requests_total",
            "cpu                  | 1    | GAUGE     | cpu                  | cpu_ratio",
            "bytes.rate           | By/s | GAUGE     | bytes.rate           | bytes.rate_bytes_per_second",
            "héllo wörld          | ''   | GAUGE     | héllo wörld          | héllo wörld",
            "''                   | ''   | GAUGE     | null                 | null",
    })
    void keepsUtf8Names(String name, String unit, MetricKind kind, String withoutSuffixes, String withSuffixes) {
        assertThat(UTF8.build(name, unit, kind)).isEqualTo(withoutSuffixes);
        assertThat(UTF8_SUFFIXES.build(name, unit, kind)).isEqualTo(withSuffixes);
    }
}
