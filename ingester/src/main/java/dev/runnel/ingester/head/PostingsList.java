package dev.runnel.ingester.head;

import java.util.Arrays;

/**
 * The sorted references of the series with one label value. The appender only appends (new
 * series get increasing references, so the list stays sorted) and publishes the new size last;
 * a reader reads the size, then the array, and looks no further than the size. Removing
 * references makes a new list instead ({@link #without}), so readers of the old one are unaffected.
 */
final class PostingsList {

    private volatile int[] refs;
    private volatile int size;

    PostingsList() {
        this.refs = new int[2];
    }

    private PostingsList(int[] refs, int size) {
        this.refs = refs;
        this.size = size;
    }

    void add(int ref) {
        int n = size;
        int[] r = refs;
        if (n == r.length) {
            r = Arrays.copyOf(r, n + (n >> 1) + 2);
            refs = r;
        }
        r[n] = ref;
        size = n + 1;
    }

    int size() {
        return size;
    }

    /** A copy of the references, sorted. */
    int[] toArray() {
        int n = size;
        return Arrays.copyOf(refs, n);
    }

    /** Appends the references to {@code into} at {@code at}; returns the new end. {@code into} must have room. */
    int copyInto(int[] into, int at, int n) {
        System.arraycopy(refs, 0, into, at, n);
        return at + n;
    }

    /** This list without the references in {@code removed} (sorted), or null if none would be left. */
    PostingsList without(int[] removed) {
        int n = size;
        int[] r = refs;
        int[] kept = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (Arrays.binarySearch(removed, r[i]) < 0) {
                kept[k++] = r[i];
            }
        }
        return k == 0 ? null : new PostingsList(k == n ? kept : Arrays.copyOf(kept, k), k);
    }
}
