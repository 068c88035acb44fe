package dev.runnel.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's series: {@code m}, a counter with 10 labels ({@code __name__}, {@code job} of 10,
 * {@code instance} {@code host-<n>} unique, and seven more of growing cardinality), and {@code h_bucket},
 * a classic histogram's buckets ({@code le} of 11) per job and a hundredth of the instances. One sample
 * every {@code step} ms over {@code [start, end]}, the same values for every store.
 */
final class QueryWorkload {
    static final String[] LE = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "+Inf"};

    final int series;
    final long start;
    final long end;
    final long step;
    private final List<String[]> labelSets = new ArrayList<>();

    QueryWorkload(int series, long start, long end, long step) {
        this.series = series;
        this.start = start;
        this.end = end;
        this.step = step;
        for (int i = 0; i < series; i++) {
            labelSets.add(new String[] {"__name__", "m", "az", "az-" + i % 3, "cluster", "c-" + i % 5, "env", "env-" + i % 2,
                    "instance", "host-" + i, "job", "job-" + i % 10, "pod", "pod-" + i % 1000, "region", "r-" + i % 4,
                    "team", "team-" + i % 20, "version", "v" + i % 7});
        }
        for (int i = 0; i < series / 100; i++) {
            for (String le : LE) {
                labelSets.add(new String[] {"__name__", "h_bucket", "instance", "host-" + i, "job", "job-" + i % 10, "le", le});
            }
        }
    }

    /** Every series' names and values alternating, sorted by name. */
    List<String[]> labelSets() {
        return labelSets;
    }

    /** The value of series {@code index} at sample {@code n}: counters that grow at a per-series rate; buckets cumulative in le. */
    double value(int index, int n) {
        if (index < series) {
            return (double) n * (index % 7 + 1);
        }
        int bucket = (index - series) % LE.length;
        return (double) n * (bucket + 1) * 3;
    }

    int samplesPerSeries() {
        return (int) ((end - start) / step) + 1;
    }
}
