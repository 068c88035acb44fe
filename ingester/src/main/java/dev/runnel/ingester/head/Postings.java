package dev.runnel.ingester.head;

import java.util.Arrays;

/** Set operations on sorted arrays of series references. */
final class Postings {

    private Postings() {
    }

    static int[] intersect(int[] a, int[] b) {
        int[] out = new int[Math.min(a.length, b.length)];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < a.length && j < b.length) {
            if (a[i] < b[j]) {
                i++;
            } else if (a[i] > b[j]) {
                j++;
            } else {
                out[k++] = a[i];
                i++;
                j++;
            }
        }
        return Arrays.copyOf(out, k);
    }

    /** {@code a} without the elements of {@code b}. */
    static int[] subtract(int[] a, int[] b) {
        int[] out = new int[a.length];
        int j = 0;
        int k = 0;
        for (int x : a) {
            while (j < b.length && b[j] < x) {
                j++;
            }
            if (j == b.length || b[j] != x) {
                out[k++] = x;
            }
        }
        return Arrays.copyOf(out, k);
    }

    /** Union of disjoint lists (the postings of different values of one label): concatenated, then sorted. */
    static int[] unionDisjoint(PostingsList[] lists, int count) {
        int[] sizes = new int[count];
        int total = 0;
        for (int i = 0; i < count; i++) {
            sizes[i] = lists[i].size();
            total += sizes[i];
        }
        int[] out = new int[total];
        int at = 0;
        for (int i = 0; i < count; i++) {
            at = lists[i].copyInto(out, at, sizes[i]);
        }
        if (count > 1) {
            Arrays.sort(out);
        }
        return out;
    }
}
