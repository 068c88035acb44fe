package dev.runnel.loadgen.series;

import java.util.Arrays;

/**
 * One series' label set, sorted by label name as Prometheus sends it. {@code names[0]} is {@code __name__}
 * (it sorts first: '_' comes before every lower-case letter). Immutable; shared by every sample of the series.
 */
public final class Series {
    private final String[] names;
    private final String[] values;

    Series(String[] names, String[] values) {
        this.names = names;
        this.values = values;
    }

    public int labelCount() {
        return names.length;
    }

    public String name(int i) {
        return names[i];
    }

    public String value(int i) {
        return values[i];
    }

    /** The value of label {@code name}, or null. */
    public String get(String name) {
        int i = Arrays.asList(names).indexOf(name);
        return i < 0 ? null : values[i];
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < names.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(names[i]).append("=\"").append(values[i]).append('"');
        }
        return sb.append('}').toString();
    }
}
