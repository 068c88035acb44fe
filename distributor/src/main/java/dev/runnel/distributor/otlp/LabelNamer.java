package dev.runnel.distributor.otlp;

import java.util.HashMap;
import java.util.Map;

/**
 * Label names from OTLP attribute keys, as Prometheus' OTLP translator (otlptranslator's
 * LabelNamer) builds them: every character outside {@code [a-zA-Z0-9_]} becomes {@code _}; a
 * name starting with a digit gets {@code key_} in front, one starting with a single {@code _}
 * gets {@code key}; names starting with {@code __} are kept. A name that comes out empty, or as
 * nothing but underscores, is invalid. With UTF-8 names, keys are kept as they are.
 *
 * <p>One namer serves one request and remembers what it built: the same keys come back on
 * every data point.
 */
final class LabelNamer {

    private final boolean utf8;
    private final Map<String, String> built = new HashMap<>();

    LabelNamer(boolean utf8) {
        this.utf8 = utf8;
    }

    /** The label name for {@code key}, or null if it gives no valid one. */
    String build(String key) {
        String name = built.get(key);
        if (name == null && !built.containsKey(key)) {
            name = compute(key);
            built.put(key, name);
        }
        return name;
    }

    private String compute(String key) {
        if (key.isEmpty()) {
            return null;
        }
        if (utf8) {
            return key;
        }
        StringBuilder out = new StringBuilder(key.length() + 4);
        key.codePoints().forEach(c -> out.append(c < 128 && (MetricNamer.isAlphanumeric((char) c) || c == '_')
                ? (char) c : '_'));
        if (MetricNamer.isDigit(out.charAt(0))) {
            out.insert(0, "key_");
        } else if (out.charAt(0) == '_' && (out.length() == 1 || out.charAt(1) != '_')) {
            out.insert(0, "key");
        }
        String name = out.toString();
        if (!name.equals(key) && name.chars().allMatch(c -> c == '_')) {
            return null;
        }
        return name;
    }
}
