package dev.runnel.loadgen.report.html;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.loadgen.cost.CostModel;
import dev.runnel.loadgen.cost.Prices;
import dev.runnel.loadgen.cost.Usage;
import dev.runnel.loadgen.report.PhaseResult;
import dev.runnel.loadgen.report.Report;
import dev.runnel.loadgen.send.IntervalLatency;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
    @TempDir
    Path dir;

    private static Report report() {
        Histogram latency = new Histogram(3_600_000_000L, 3);
        for (int i = 1; i <= 1000; i++) {
            latency.recordValue(i * 1000L);
        }
        List<IntervalLatency> intervals = List.of(new IntervalLatency(1, 10, 100, 200, 250),
                new IntervalLatency(2, 0, Double.NaN, Double.NaN, Double.NaN), new IntervalLatency(3, 12, 110, 390, 400));
        return new Report("bin/loadgen --rate 1000 --report /tmp/r & <x>", Map.of(), List.of(new PhaseResult("fixed-rate", 1000, 3,
                3000, 22, 0, 0, 0, 0, 0, Map.of(200, 22L), latency, new Histogram(3_600_000_000L, 3), intervals)));
    }

    @Test
    void writesASelfContainedPageAndTheJson() throws Exception {
        CostModel.Comparison cost = CostModel.compare(new Usage(10, 1e6, 0, 2e6, 0, 40, 100, 1, 0, 1e6), Prices.AWS);
        Report report = report();
        HtmlReport.write(dir, report, cost);
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("latency over time (fixed-rate)", "latency by percentile",
                "99.9%", "Kafka RF3", "leader → 2 followers", "&amp; &lt;x&gt;", "<polyline");
        // offline: no scripts, stylesheets or images fetched from anywhere
        assertThat(html).doesNotContain("<script", "src=", "href=", "@import");
        // the gap second splits the p99 line in two
        String overTime = html.substring(html.indexOf("latency over time"), html.indexOf("latency by percentile"));
        assertThat(overTime.split("stroke=\"#d62728\" stroke-width").length - 1).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("report.json"))).contains("\"latency_per_interval\"", "\"p99_ms\": 390");
    }

    @Test
    void withoutScrapesThePageSaysThereIsNoCostModel() {
        assertThat(HtmlReport.html(report(), null)).contains("No components were scraped");
    }

    @Test
    void percentileAxisPutsEachNineOneStepFurther() {
        assertThat(HtmlReport.percentileX(0)).isZero();
        assertThat(HtmlReport.percentileX(90)).isEqualTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(HtmlReport.percentileX(99.9)).isEqualTo(3.0, org.assertj.core.api.Assertions.within(1e-9));
    }
}
