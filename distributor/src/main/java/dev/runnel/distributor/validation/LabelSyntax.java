package dev.runnel.distributor.validation;

/** Byte-level checks of label names, metric names and label values, without decoding them. */
final class LabelSyntax {

    static final String LABEL_NAME_PATTERN = "[a-zA-Z_][a-zA-Z0-9_]*";
    static final String METRIC_NAME_PATTERN = "[a-zA-Z_:][a-zA-Z0-9_:]*";

    private LabelSyntax() {
    }

    /** {@code [a-zA-Z_][a-zA-Z0-9_]*}, the legacy Prometheus label name. */
    static boolean isLabelName(byte[] b, int offset, int length) {
        if (length == 0 || !isNameStart(b[offset])) {
            return false;
        }
        for (int i = offset + 1; i < offset + length; i++) {
            if (!isNameStart(b[i]) && !isDigit(b[i])) {
                return false;
            }
        }
        return true;
    }

    /** {@code [a-zA-Z_:][a-zA-Z0-9_:]*}, the legacy Prometheus metric name. */
    static boolean isMetricName(byte[] b, int offset, int length) {
        if (length == 0 || !(isNameStart(b[offset]) || b[offset] == ':')) {
            return false;
        }
        for (int i = offset + 1; i < offset + length; i++) {
            if (!isNameStart(b[i]) && !isDigit(b[i]) && b[i] != ':') {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the bytes are valid UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
     * U+10FFFF). ASCII, the common case, takes one comparison per byte. (protobuf's own checker
     * is not public.)
     */
    static boolean isUtf8(byte[] b, int offset, int length) {
        int end = offset + length;
        int i = offset;
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

    private static boolean isNameStart(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}
