package dev.runnel.distributor.write;

import java.util.List;

/** An exemplar attached to a series' samples; {@code labels} alternate names and values. */
public record Exemplar(List<String> labels, double value, long timestamp) {
    public Exemplar {
        labels = List.copyOf(labels);
        if (labels.size() % 2 != 0) {
            throw new IllegalArgumentException("exemplar labels must be name/value pairs: " + labels);
        }
    }
}
