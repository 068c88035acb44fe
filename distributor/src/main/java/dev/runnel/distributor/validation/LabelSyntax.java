package dev.runnel.distributor.validation;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Byte-level checks of label names, metric names and label values, without decoding them. */
final class LabelSyntax {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    static final String LABEL_NAME_PATTERN = "[a-zA-Z_][a-zA-Z0-9_]*";
    static final String METRIC_NAME_PATTERN = "[a-zA-Z_:][a-zA-Z0-9_:]*";

    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_";
    private static final boolean[] LABEL_NAME_START = byteSet(LETTERS);
    private static final boolean[] LABEL_NAME_PART = byteSet(LETTERS + "0123456789");
    private static final boolean[] METRIC_NAME_START = byteSet(LETTERS + ":");
    private static final boolean[] METRIC_NAME_PART = byteSet(LETTERS + "0123456789:");

    private LabelSyntax() {
    }

    /** {@code [a-zA-Z_][a-zA-Z0-9_]*}, the legacy Prometheus label name. */
    static boolean isLabelName(byte[] b, int offset, int length) {
        return matches(b, offset, length, LABEL_NAME_START, LABEL_NAME_PART);
    }

    /** {@code [a-zA-Z_:][a-zA-Z0-9_:]*}, the legacy Prometheus metric name. */
    static boolean isMetricName(byte[] b, int offset, int length) {
        return matches(b, offset, length, METRIC_NAME_START, METRIC_NAME_PART);
    }

    /** A first byte in {@code start}, then bytes in {@code part}: one table look-up per byte. */
    private static boolean matches(byte[] b, int offset, int length, boolean[] start, boolean[] part) {
        if (length == 0 || !start[b[offset] & 0xFF]) {
            return false;
        }
        for (int i = offset + 1; i < offset + length; i++) {
            if (!part[b[i] & 0xFF]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the bytes are valid UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
     * U+10FFFF). ASCII, the common case, is checked eight bytes at a time. (protobuf's own checker
     * is not public.)
     */
    static boolean isUtf8(byte[] b, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i + 8 <= end && ((long) LONGS.get(b, i) & HIGH_BITS) == 0) { // eight ASCII bytes at a time
            i += 8;
        }
        int rest = end - i;
        if (rest > 0 && rest < 8 && end >= 8 // the last bytes as one word: the one ending at end, earlier bytes masked off
                && ((long) LONGS.get(b, end - 8) & HIGH_BITS & (-1L << (64 - rest * 8))) == 0) {
            return true;
        }
        while (i < end) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n;
            int min;
            if (c >= 0xC2 && c <= 0xDF) {
                n = 1;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                n = 2;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                n = 3;
                min = 0x10000;
            } else {
                return false;
            }
            if (i + n >= end) { // truncated sequence
                return false;
            }
            int cp = c & (0x3F >> n);
            for (int k = 1; k <= n; k++) {
                int cont = b[i + k] & 0xFF;
                if ((cont & 0xC0) != 0x80) {
                    return false;
                }
                cp = (cp << 6) | (cont & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return false;
            }
            i += n + 1;
        }
        return true;
    }

    private static boolean[] byteSet(String chars) {
        boolean[] set = new boolean[256];
        for (char c : chars.toCharArray()) {
            set[c] = true;
        }
        return set;
    }
}
