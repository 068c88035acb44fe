package dev.runnel.loadgen.scrape;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * How much each counter series of the scraped components grew between two scrapes. A series that went down (its
 * process restarted) counts from zero: its value after. Series only in the later scrape count whole (a label
 * value first used during the run, such as a new peer zone).
 */
public final class Counters {
    private final List<MetricsText.Sample> deltas;
    private final double seconds;

    Counters(List<MetricsText.Sample> deltas, double seconds) {
        this.deltas = List.copyOf(deltas);
        this.seconds = seconds;
    }

    /** For tests and callers that already hold deltas. */
    public static Counters of(List<MetricsText.Sample> deltas, double seconds) {
        return new Counters(deltas, seconds);
    }

    /** Wall-clock seconds between the two scrapes. */
    public double seconds() {
        return seconds;
    }

    /** The growth of {@code name} summed over the series whose labels {@code labels} accepts. */
    public double sum(String name, Predicate<Map<String, String>> labels) {
        double sum = 0;
        for (MetricsText.Sample s : deltas) {
            if (s.name().equals(name) && labels.test(s.labels())) {
                sum += s.value();
            }
        }
        return sum;
    }

    public double sum(String name) {
        return sum(name, labels -> true);
    }

    /** Every grown series, for the JSON. */
    public List<MetricsText.Sample> deltas() {
        return deltas;
    }
}
