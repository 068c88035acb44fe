package dev.runnel.ingester.head;

/**
 * Series by label set: open addressing on {@link dev.runnel.ingester.labels.Labels#hash}, linear
 * probing, deletion by shifting back the entries that follow (no tombstones). The lookup takes
 * the labels as a scratch array, so finding an existing series allocates nothing; the hash is
 * compared on the series itself, so a hit costs a load of the slot, the series and its labels.
 * Used by the appender thread only; readers find series through the postings.
 */
final class SeriesTable {

    private MemSeries[] slots = new MemSeries[1024];
    private int size;

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

    /** The series in the home slot of {@code hash}: where a lookup starts, for cache warming. */
    MemSeries home(long hash) {
        MemSeries[] table = slots;
        return table[(int) hash & (table.length - 1)];
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
