package dev.runnel.distributor.otlp;

import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;

/** A series' labels: sorted by name, unique, none with an empty value. Equal sets are equal objects. */
final class Labels {

    /** Names and values alternating. */
    private final String[] pairs;
    private final int hash;

    private Labels(String[] pairs) {
        this.pairs = pairs;
        this.hash = Arrays.hashCode(pairs);
    }

    /** The labels of a map, leaving out empty values (Prometheus treats an empty label as none). */
    static Labels of(SortedMap<String, String> labels) {
        String[] pairs = new String[labels.size() * 2];
        int n = 0;
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (!label.getValue().isEmpty()) {
                pairs[n++] = label.getKey();
                pairs[n++] = label.getValue();
            }
        }
        return new Labels(n == pairs.length ? pairs : Arrays.copyOf(pairs, n));
    }

    int size() {
        return pairs.length / 2;
    }

    String name(int i) {
        return pairs[2 * i];
    }

    String value(int i) {
        return pairs[2 * i + 1];
    }

    /** The value of label {@code name}, or null. */
    String get(String name) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equals(name)) {
                return pairs[i + 1];
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels other && hash == other.hash && Arrays.equals(pairs, other.pairs);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < pairs.length; i += 2) {
            out.append(i == 0 ? "" : ", ").append(pairs[i]).append("=\"").append(pairs[i + 1]).append('"');
        }
        return out.append('}').toString();
    }
}
