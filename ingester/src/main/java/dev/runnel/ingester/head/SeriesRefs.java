package dev.runnel.ingester.head;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Series by reference number. References are handed out in increasing order and never reused,
 * so the table is paged: a page whose series were all collected is dropped. The appender thread
 * writes; readers get a series after reading its reference from a postings list, whose volatile
 * publication happens after the series was stored here.
 */
final class SeriesRefs {

    private static final int PAGE_BITS = 12;
    private static final int PAGE_SIZE = 1 << PAGE_BITS;

    private volatile MemSeries[][] pages = new MemSeries[16][];
    private int[] live = new int[16];
    private int next;

    /** The reference the next series gets. */
    int nextRef() {
        return next;
    }

    void add(MemSeries series) {
        int ref = series.ref;
        if (ref != next) {
            throw new IllegalStateException("series reference " + ref + " is not the next one, " + next);
        }
        int page = ref >>> PAGE_BITS;
        MemSeries[][] p = pages;
        if (page >= p.length) {
            p = Arrays.copyOf(p, p.length * 2);
            live = Arrays.copyOf(live, p.length);
        }
        if (p[page] == null) {
            p[page] = new MemSeries[PAGE_SIZE];
        }
        p[page][ref & (PAGE_SIZE - 1)] = series;
        live[page]++;
        pages = p;
        next++;
    }

    MemSeries get(int ref) {
        MemSeries[][] p = pages;
        int page = ref >>> PAGE_BITS;
        if (ref < 0 || page >= p.length || p[page] == null) {
            return null;
        }
        return p[page][ref & (PAGE_SIZE - 1)];
    }

    void remove(int ref) {
        MemSeries[][] p = pages;
        int page = ref >>> PAGE_BITS;
        p[page][ref & (PAGE_SIZE - 1)] = null;
        if (--live[page] == 0 && page < next >>> PAGE_BITS) {
            p[page] = null;
        }
    }

    /** Every live series, in reference order. */
    void forEach(Consumer<MemSeries> action) {
        MemSeries[][] p = pages;
        for (MemSeries[] page : p) {
            if (page != null) {
                for (MemSeries s : page) {
                    if (s != null) {
                        action.accept(s);
                    }
                }
            }
        }
    }
}
