package dev.runnel.ingester.head;

import dev.runnel.ingester.chunk.XorChunk;

/**
 * Series by label set: open addressing on {@link dev.runnel.ingester.labels.Labels#hash}, linear
 * probing, deletion by shifting back the entries that follow (no tombstones). The lookup takes
 * the labels as a scratch array, so finding an existing series allocates nothing; the hash is
 * compared on the series itself, so a hit costs a load of the slot, the series and its labels.
 * Used by the appender thread only; readers find series through the postings.
 */
final class SeriesTable {

    /** Series {@link #warm} takes at most at a time. */
    static final int WARM_BATCH = 64;

    private MemSeries[] slots = new MemSeries[1024];
    private int size;
    private final MemSeries[] warmSeries = new MemSeries[WARM_BATCH];
    private final XorChunk[] warmChunks = new XorChunk[WARM_BATCH];

    MemSeries get(String[] pairs, int length, long hash) {
        int mask = slots.length - 1;
        for (int i = (int) hash & mask; ; i = (i + 1) & mask) {
            MemSeries s = slots[i];
            if (s == null) {
                return null;
            }
            if (s.hash == hash && s.hasLabels(pairs, length)) {
                return s;
            }
        }
    }

    /**
     * Touches the series in the home slots of {@code hashes[from, to)} (at most {@link #WARM_BATCH}), their labels and their open chunks'
     * current words; see {@link TenantHead#warm}. One pass per level of the chain slot, series,
     * chunk, word: the loads within a pass do not depend on each other, so the processor keeps
     * many misses in flight instead of walking one series' chain at a time.
     */
    long warm(long[] hashes, int from, int to) {
        MemSeries[] table = slots;
        int mask = table.length - 1;
        MemSeries[] series = warmSeries;
        XorChunk[] chunks = warmChunks;
        int count = to - from;
        for (int k = 0; k < count; k++) {
            series[k] = table[(int) hashes[from + k] & mask];
        }
        long sum = 0;
        for (int k = 0; k < count; k++) {
            MemSeries s = series[k];
            chunks[k] = s == null ? null : s.openXor;
            sum += s == null ? 0 : s.hash;
        }
        for (int k = 0; k < count; k++) {
            MemSeries s = series[k];
            XorChunk open = chunks[k];
            // Both ends of the labels array: 20 references with the header span two cache lines.
            sum += (s == null || s.pairs[0] == null || s.pairs[s.pairs.length - 1] == null ? 0 : 1) + (open == null ? 0 : open.numSamples());
        }
        for (int k = 0; k < count; k++) {
            XorChunk open = chunks[k];
            sum += open == null ? 0 : open.currentWord();
            series[k] = null;
            chunks[k] = null;
        }
        return sum;
    }

    void add(MemSeries series) {
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        place(series);
        size++;
    }

    void remove(MemSeries series) {
        int mask = slots.length - 1;
        int i = (int) series.hash & mask;
        while (slots[i] != series) {
            if (slots[i] == null) {
                return;
            }
            i = (i + 1) & mask;
        }
        slots[i] = null;
        size--;
        // Move later entries of the probe run back into the hole when their home slot allows it.
        for (int j = (i + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
            int home = (int) slots[j].hash & mask;
            boolean movable = i <= j ? (home <= i || home > j) : (home <= i && home > j);
            if (movable) {
                slots[i] = slots[j];
                slots[j] = null;
                i = j;
            }
        }
    }

    int size() {
        return size;
    }

    private void place(MemSeries series) {
        int mask = slots.length - 1;
        int i = (int) series.hash & mask;
        while (slots[i] != null) {
            i = (i + 1) & mask;
        }
        slots[i] = series;
    }

    private void grow() {
        MemSeries[] old = slots;
        slots = new MemSeries[old.length * 2];
        for (MemSeries s : old) {
            if (s != null) {
                place(s);
            }
        }
    }
}
