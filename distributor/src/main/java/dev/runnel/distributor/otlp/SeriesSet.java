package dev.runnel.distributor.otlp;

import dev.runnel.distributor.write.Exemplar;
import dev.runnel.distributor.write.WriteBatchBuilder;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The series a request translates to, each once: data points of the same series (several
 * timestamps, or resources that map to the same labels) add to one entry, as in Prometheus'
 * translator. Written to a {@link WriteBatchBuilder} in the order series first appeared.
 */
final class SeriesSet {

    private final Map<Labels, Series> series = new LinkedHashMap<>();

    Series get(Labels labels) {
        return series.computeIfAbsent(labels, l -> new Series());
    }

    /** Adds a float sample to the series, and the created timestamp (0 for none). */
    Series sample(Labels labels, long timeMillis, double value, long createdMillis) {
        Series s = get(labels);
        s.sample(timeMillis, value);
        s.createdTimestamp(createdMillis);
        return s;
    }

    /** Adds a native histogram to the series, and the created timestamp (0 for none). */
    Series histogram(Labels labels, Histogram histogram, long createdMillis) {
        Series s = get(labels);
        s.histogram(histogram);
        s.createdTimestamp(createdMillis);
        return s;
    }

    int size() {
        return series.size();
    }

    void writeTo(WriteBatchBuilder batch) {
        for (Map.Entry<Labels, Series> entry : series.entrySet()) {
            Labels labels = entry.getKey();
            Series s = entry.getValue();
            batch.startSeries();
            for (int i = 0; i < labels.size(); i++) {
                batch.label(labels.name(i), labels.value(i));
            }
            for (int i = 0; i < s.samples; i++) {
                batch.sample(s.timestamps[i], s.values[i]);
            }
            for (Histogram h : s.histograms) {
                batch.histogram(h);
            }
            for (Exemplar e : s.exemplars) {
                batch.exemplar(e);
            }
            if (s.createdMillis != 0) {
                batch.createdTimestamp(s.createdMillis);
            }
            batch.endSeries();
        }
    }

    /** One series being gathered. */
    static final class Series {
        private long[] timestamps = new long[1];
        private double[] values = new double[1];
        private int samples;
        private final List<Histogram> histograms = new ArrayList<>(0);
        private final List<Exemplar> exemplars = new ArrayList<>(0);
        private long createdMillis;

        void sample(long timestampMillis, double value) {
            if (samples == timestamps.length) {
                timestamps = Arrays.copyOf(timestamps, samples * 2);
                values = Arrays.copyOf(values, samples * 2);
            }
            timestamps[samples] = timestampMillis;
            values[samples] = value;
            samples++;
        }

        void histogram(Histogram histogram) {
            histograms.add(histogram);
        }

        void exemplars(List<Exemplar> more) {
            exemplars.addAll(more);
        }

        void exemplar(Exemplar exemplar) {
            exemplars.add(exemplar);
        }

        /** The series keeps the created timestamp of its latest point that has one. */
        void createdTimestamp(long millis) {
            if (millis != 0) {
                createdMillis = millis;
            }
        }
    }
}
