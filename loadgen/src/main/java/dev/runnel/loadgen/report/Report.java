package dev.runnel.loadgen.report;

import static dev.runnel.loadgen.report.TextTable.num;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The end-of-run figures: a terminal table with one column per phase, and the same figures as JSON. The command
 * line and the workload settings go with both, so a figure can be reproduced.
 */
public final class Report {
    private final String commandLine;
    private final Map<String, Object> settings;
    private final List<PhaseResult> phases;
    private final Map<String, Object> sections = new LinkedHashMap<>();

    public Report(String commandLine, Map<String, Object> settings, List<PhaseResult> phases) {
        this.commandLine = commandLine;
        this.settings = new LinkedHashMap<>(settings);
        this.phases = List.copyOf(phases);
    }

    /** Adds figures computed beside the run (the cost model, say) to the JSON under {@code name}. */
    public void addSection(String name, Map<String, Object> figures) {
        sections.put(name, figures);
    }

    public String commandLine() {
        return commandLine;
    }

    public List<PhaseResult> phases() {
        return phases;
    }

    public String json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command_line", commandLine);
        m.put("settings", settings);
        List<Object> list = new ArrayList<>();
        phases.forEach(p -> list.add(p.toMap()));
        m.put("phases", list);
        m.putAll(sections);
        return Json.write(m);
    }

    public String table() {
        List<String[]> rows = new ArrayList<>();
        rows.add(row("", p -> p.name()));
        rows.add(row("target samples/s", p -> p.targetRate() == 0 ? "max" : num(p.targetRate(), 0)));
        rows.add(row("measured seconds", p -> num(p.seconds(), 1)));
        rows.add(row("samples/s acked", p -> num(p.samplesPerSecond(), 0)));
        rows.add(row("samples acked", p -> num(p.samplesAcked(), 0)));
        rows.add(row("requests acked", p -> num(p.requestsAcked(), 0)));
        for (double pct : PhaseResult.PERCENTILES) {
            rows.add(row("latency p" + trim(pct) + " ms", p -> ms(PhaseResult.millis(p.latencyMicros(), pct))));
        }
        rows.add(row("latency max ms", p -> ms(PhaseResult.maxMillis(p.latencyMicros()))));
        rows.add(row("service p50 ms", p -> ms(PhaseResult.millis(p.serviceMicros(), 50))));
        rows.add(row("service p99 ms", p -> ms(PhaseResult.millis(p.serviceMicros(), 99))));
        rows.add(row("service max ms", p -> ms(PhaseResult.maxMillis(p.serviceMicros()))));
        TreeSet<Integer> codes = new TreeSet<>();
        phases.forEach(p -> codes.addAll(p.statuses().keySet()));
        for (int code : codes) {
            rows.add(row("answers " + code, p -> num(p.statuses().getOrDefault(code, 0L), 0)));
        }
        rows.add(row("retries", p -> num(p.retries(), 0)));
        rows.add(row("network errors", p -> num(p.networkErrors(), 0)));
        rows.add(row("samples dropped (4xx)", p -> num(p.samplesDropped(), 0)));
        rows.add(row("samples unacked at end", p -> num(p.samplesFailed(), 0)));
        return TextTable.render(rows, i -> i == 0) + "\ncommand: " + commandLine + "\n";
    }

    private String[] row(String label, java.util.function.Function<PhaseResult, String> cell) {
        String[] r = new String[phases.size() + 1];
        r[0] = label;
        for (int i = 0; i < phases.size(); i++) {
            r[i + 1] = cell.apply(phases.get(i));
        }
        return r;
    }



    /** Milliseconds: three decimals below 10 ms, one above. */
    static String ms(double v) {
        return num(v, v < 10 ? 3 : 1);
    }

    private static String trim(double pct) {
        return pct == Math.rint(pct) ? Long.toString((long) pct) : Double.toString(pct);
    }
}
