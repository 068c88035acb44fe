package dev.runnel.loadgen.verify;

import java.io.IOException;
import java.util.Map;

/** Where written samples are read back from: raw samples, not evaluated points. */
public interface SampleSource {
    /** Receives one series of an answer. */
    interface SeriesVisitor {
        /** {@code timestamps} and {@code values} hold {@code count} samples; the arrays are the visitor's to keep. */
        void series(Map<String, String> labels, long[] timestamps, double[] values, int count);
    }

    /**
     * Every raw sample of tenant {@code tenantId}'s series named {@code metricName} with a timestamp in
     * {@code [fromMillis, toMillis)}; samples just outside may come too.
     */
    void read(String tenantId, String metricName, long fromMillis, long toMillis, SeriesVisitor visitor)
            throws IOException, InterruptedException;
}
