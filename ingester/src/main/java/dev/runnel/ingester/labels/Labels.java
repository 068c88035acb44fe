package dev.runnel.ingester.labels;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * A series' label set: names and values side by side in one array, sorted by name, names unique.
 * In the head the strings are interned per tenant, so equal label sets share their strings and
 * comparing them mostly compares references.
 */
public final class Labels implements Comparable<Labels> {

    /**
     * {@link #hash(String[], int)} from the strings' {@link String#hashCode()}s: {@code hashEnd(hashNext(...
     * hashNext(HASH_START, pairs[0].hashCode(), pairs[1].hashCode()) ..., pairs[length - 1].hashCode()))}.
     */
    public static final long HASH_START = 0x2545F4914F6CDD1DL;

    private final String[] pairs;
    private final long hash;

    private Labels(String[] pairs) {
        this.pairs = pairs;
        this.hash = hash(pairs, pairs.length);
    }

    /**
     * Labels from alternating names and values, in any order. A label with an empty value is no
     * label at all, as in Prometheus, and is left out.
     *
     * @throws IllegalArgumentException if a name lacks its value or a name appears twice
     */
    public static Labels of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("labels need a value for every name, got " + namesAndValues.length + " strings");
        }
        String[] pairs = namesAndValues.clone();
        int length = withoutEmptyValues(pairs, pairs.length);
        sortPairs(pairs, length);
        return new Labels(Arrays.copyOf(pairs, length));
    }

    /** Moves the labels with a non-empty value of the first {@code length} strings to the front; returns their count times 2. */
    public static int withoutEmptyValues(String[] pairs, int length) {
        int kept = 0;
        for (int i = 0; i < length; i += 2) {
            if (!pairs[i + 1].isEmpty()) {
                pairs[kept] = pairs[i];
                pairs[kept + 1] = pairs[i + 1];
                kept += 2;
            }
        }
        return kept;
    }

    /**
     * Labels from the first {@code length} strings of {@code pairs}, which must already be sorted
     * and unique ({@link #sortPairs}); the strings are copied.
     */
    public static Labels copyOf(String[] pairs, int length) {
        return new Labels(Arrays.copyOf(pairs, length));
    }

    /**
     * Sorts the first {@code length} strings of {@code pairs}, alternating names and values, by
     * name in place (insertion sort: label sets are short and usually sorted already).
     *
     * @throws IllegalArgumentException if a name appears twice
     */
    public static void sortPairs(String[] pairs, int length) {
        for (int i = 2; i < length; i += 2) {
            String name = pairs[i];
            String value = pairs[i + 1];
            int j = i - 2;
            while (j >= 0 && pairs[j].compareTo(name) > 0) {
                pairs[j + 2] = pairs[j];
                pairs[j + 3] = pairs[j + 1];
                j -= 2;
            }
            pairs[j + 2] = name;
            pairs[j + 3] = value;
        }
        for (int i = 2; i < length; i += 2) {
            if (pairs[i].equals(pairs[i - 2])) {
                throw new IllegalArgumentException("label name \"" + pairs[i] + "\" appears more than once");
            }
        }
    }

    /** The hash {@link #hash()} returns for labels made of the first {@code length} strings of {@code pairs}. */
    public static long hash(String[] pairs, int length) {
        long h = HASH_START;
        for (int i = 0; i + 1 < length; i += 2) {
            h = hashNext(h, pairs[i].hashCode(), pairs[i + 1].hashCode());
        }
        return hashEnd(h);
    }

    /** See {@link #HASH_START}; one step per label, so that hashing a label set is a chain of as many multiplications. */
    public static long hashNext(long h, int nameHash, int valueHash) {
        return Long.rotateLeft((h ^ ((long) nameHash << 32 | (valueHash & 0xFFFFFFFFL))) * 0x9E3779B97F4A7C15L, 29);
    }

    /** See {@link #HASH_START}. */
    public static long hashEnd(long h) {
        return h ^ (h >>> 31);
    }

    /** True if these labels are the first {@code length} strings of {@code other}. */
    public boolean equalTo(String[] other, int length) {
        if (length != pairs.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (!pairs[i].equals(other[i])) {
                return false;
            }
        }
        return true;
    }

    public int size() {
        return pairs.length / 2;
    }

    public String name(int index) {
        return pairs[2 * index];
    }

    public String value(int index) {
        return pairs[2 * index + 1];
    }

    /** The value of label {@code name}, or "" if there is none (as Prometheus treats a missing label). */
    public String get(String name) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equals(name)) {
                return pairs[i + 1];
            }
        }
        return "";
    }

    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < pairs.length; i += 2) {
            action.accept(pairs[i], pairs[i + 1]);
        }
    }

    public long hash() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels other && other.hash == hash && equalTo(other.pairs, other.pairs.length);
    }

    @Override
    public int hashCode() {
        return (int) hash;
    }

    /** Prometheus' order: pair by pair, by name then value; a label set that is a prefix of another sorts first. */
    @Override
    public int compareTo(Labels o) {
        return comparePairs(pairs, o.pairs);
    }

    /** {@link #compareTo}'s order for label sets held as sorted name/value arrays. */
    public static int comparePairs(String[] a, String[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            int c = a[i].compareTo(b[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.length, b.length);
    }

    /** Prometheus' notation: {@code {a="1", b="2"}}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < pairs.length; i += 2) {
            if (i > 0) {
                s.append(", ");
            }
            s.append(pairs[i]).append("=\"").append(pairs[i + 1].replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
        }
        return s.append('}').toString();
    }
}
