package dev.runnel.loadgen.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static PhaseResult phase(String name, double rate) {
        Histogram latency = new Histogram(3_600_000_000L, 3);
        for (int i = 1; i <= 1000; i++) {
            latency.recordValue(i * 1000L); // 1..1000 ms
        }
        Map<Integer, Long> statuses = new TreeMap<>(Map.of(200, 1000L, 503, 3L));
        return new PhaseResult(name, rate, 10, 2_000_000, 1000, 0, 0, 3, 0, 3, statuses, latency,
                new Histogram(3_600_000_000L, 3), List.of());
    }

    @Test
    void tableHasAColumnPerPhaseAndTheCommandLine() {
        String table = new Report("bin/loadgen --find-max", Map.of(), List.of(phase("max", 0), phase("half-max", 100_000)))
                .table();
        assertThat(table).contains("half-max", "200,000", "100,000", "answers 503", "command: bin/loadgen --find-max");
        assertThat(table.lines().filter(l -> l.startsWith("latency p99 ms")).findFirst().orElseThrow())
                .matches("latency p99 ms +990\\.\\d +990\\.\\d");
        // nothing recorded prints as "-"
        assertThat(table.lines().filter(l -> l.startsWith("service p50 ms")).findFirst().orElseThrow()).endsWith("-");
    }

    @Test
    void jsonCarriesEveryFigure() {
        String json = new Report("bin/loadgen", Map.of("protocol", "rw2"), List.of(phase("max", 0))).json();
        assertThat(json).contains("\"command_line\": \"bin/loadgen\"", "\"protocol\": \"rw2\"",
                "\"samples_per_second\": 200000", "\"503\": 3", "\"p99.9\": ", "\"closed_loop\": true",
                "\"service_time_ms\"", "\"max\": null");
    }

    @Test
    void progressRewritesOneLineOnATerminalAndPrintsEveryTenSecondsOtherwise() {
        ByteArrayOutputStream tty = new ByteArrayOutputStream();
        Progress onTerminal = new Progress(new PrintStream(tty, true, StandardCharsets.UTF_8), true);
        onTerminal.update(1_000_000_000L, "max", 1, 1234, 5.5, 0);
        onTerminal.update(2_000_000_000L, "max", 2, 2345, Double.NaN, 1);
        onTerminal.finish();
        assertThat(tty.toString(StandardCharsets.UTF_8)).startsWith("\rmax").contains("\rmax", "2,345 samples/s acked",
                "p99 - ms", "errors 1").endsWith(System.lineSeparator()).doesNotContain("\n\r");

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Progress plain = new Progress(new PrintStream(log, true, StandardCharsets.UTF_8), false);
        for (int second = 1; second <= 25; second++) {
            plain.update(second * 1_000_000_000L, "fixed-rate", second, 100, 1.25, 0);
        }
        assertThat(log.toString(StandardCharsets.UTF_8).lines()).hasSize(3).allMatch(l -> l.contains("p99 1.250 ms"))
                .noneMatch(l -> l.contains("\r"));
    }
}
