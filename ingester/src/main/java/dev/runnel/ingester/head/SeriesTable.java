package dev.runnel.ingester.head;

/**
 * Series by label set: open addressing on {@link dev.runnel.ingester.labels.Labels#hash}, linear
 * probing, deletion by shifting back the entries that follow (no tombstones). The lookup takes
 * the labels as a scratch array, so finding an existing series allocates nothing. Each slot's
 * hash is kept beside it, so probing past other series loads no series: a hit costs a load of
 * the slot, its hash, the series and its labels. Used by one thread only (see
 * {@link TenantHead}); readers find series through the postings.
 */
final class SeriesTable {

    private MemSeries[] slots = new MemSeries[1024];
    private long[] hashes = new long[1024];
    private int size;

    MemSeries get(String[] pairs, int length, long hash) {
        return get(pairs, 0, length, hash);
    }

    /** The series whose labels are {@code pairs[offset, offset + length)}, or null. */
    MemSeries get(String[] pairs, int offset, int length, long hash) {
        int mask = slots.length - 1;
        for (int i = (int) hash & mask; ; i = (i + 1) & mask) {
            MemSeries s = slots[i];
            if (s == null) {
                return null;
            }
            if (hashes[i] == hash && s.hasLabels(pairs, offset, length)) {
                return s;
            }
        }
    }

    /**
     * The first series with this hash, which {@link #get} will most likely find, or null; without
     * touching any series, for cache warming.
     */
    MemSeries probe(long hash) {
        MemSeries[] table = slots;
        long[] h = hashes;
        int mask = table.length - 1;
        for (int i = (int) hash & mask; ; i = (i + 1) & mask) {
            MemSeries s = table[i];
            if (s == null || h[i] == hash) {
                return s;
            }
        }
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
            int home = (int) hashes[j] & mask;
            boolean movable = i <= j ? (home <= i || home > j) : (home <= i && home > j);
            if (movable) {
                slots[i] = slots[j];
                hashes[i] = hashes[j];
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
        hashes[i] = series.hash;
    }

    private void grow() {
        MemSeries[] old = slots;
        slots = new MemSeries[old.length * 2];
        hashes = new long[old.length * 2];
        for (MemSeries s : old) {
            if (s != null) {
                place(s);
            }
        }
    }
}
