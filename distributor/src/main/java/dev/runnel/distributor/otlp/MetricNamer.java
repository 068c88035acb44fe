package dev.runnel.distributor.otlp;

import java.util.ArrayList;
import java.util.List;

/**
 * Metric family names from OTLP metric names, as Prometheus' OTLP translator (otlptranslator's
 * MetricNamer) builds them:
 * <ul>
 *   <li>escaping, no suffixes (the default): runs of characters outside {@code [a-zA-Z0-9_:]}
 *       become one {@code _} ({@code http.server.duration} is {@code http_server_duration});</li>
 *   <li>escaping with suffixes: the name is split at every character outside {@code [a-zA-Z0-9:]},
 *       the unit suffixes, {@code total} (monotonic sums) and {@code ratio} (gauges of unit "1")
 *       are appended unless already there, and the parts are joined with {@code _};</li>
 *   <li>UTF-8: the name is kept; with suffixes they are appended after {@code _}.</li>
 * </ul>
 * A name starting with a digit gets a leading {@code _}. A name that comes out empty, or as
 * nothing but underscores, is invalid: {@link #build} returns null.
 */
final class MetricNamer {

    private final boolean addSuffixes;
    private final boolean utf8;

    MetricNamer(OtlpOptions options) {
        this.addSuffixes = options.addSuffixes();
        this.utf8 = options.utf8Names();
    }

    /** The family name, or null if {@code name} gives no valid one. */
    String build(String name, String unit, MetricKind kind) {
        String built;
        if (utf8) {
            built = addSuffixes ? utf8WithSuffixes(name, unit, kind) : name;
        } else {
            built = addSuffixes ? escapedWithSuffixes(name, unit, kind) : escaped(name);
            if (!built.isEmpty() && isDigit(built.charAt(0))) {
                built = "_" + built;
            }
        }
        if (built.isEmpty() || (!built.equals(name) && built.chars().allMatch(c -> c == '_'))) {
            return null;
        }
        return built;
    }

    private static String escaped(String name) {
        return String.join("_", split(name, true));
    }

    private static String escapedWithSuffixes(String name, String unit, MetricKind kind) {
        List<String> tokens = split(name, false);
        Units.Suffixes suffixes = Units.suffixes(unit);
        String main = cleanUnit(suffixes.main());
        String per = cleanUnit(suffixes.per());
        if (tokens.contains(main)) {
            main = "";
        }
        per = per.equals("per_") ? "" : trimTrailingUnderscore(per);
        if (tokens.contains(per)) {
            per = "";
        }
        if (!per.isEmpty()) {
            main = trimTrailingUnderscore(main);
        }
        if (!main.isEmpty()) {
            tokens.add(main);
        }
        if (!per.isEmpty()) {
            tokens.add(per);
        }
        if (kind == MetricKind.COUNTER) {
            tokens.removeIf("total"::equals);
            tokens.add("total");
        }
        if (unit.equals("1") && kind == MetricKind.GAUGE) {
            tokens.removeIf("ratio"::equals);
            tokens.add("ratio");
        }
        return String.join("_", tokens);
    }

    private static String utf8WithSuffixes(String name, String unit, MetricKind kind) {
        boolean ratio = unit.equals("1") && kind == MetricKind.GAUGE;
        boolean total = kind == MetricKind.COUNTER;
        if (ratio) {
            name = trimSuffixAndDelimiter(name, "ratio");
        }
        if (total) {
            name = trimSuffixAndDelimiter(name, "total");
        }
        Units.Suffixes suffixes = Units.suffixes(unit);
        if (!suffixes.per().isEmpty()) {
            name = trimSuffixAndDelimiter(name, suffixes.per());
        }
        StringBuilder out = new StringBuilder(name);
        if (!suffixes.main().isEmpty() && !name.endsWith(suffixes.main())) {
            out.append('_').append(suffixes.main());
        }
        if (!suffixes.per().isEmpty()) {
            out.append('_').append(suffixes.per());
        }
        if (total) {
            out.append("_total");
        }
        if (ratio) {
            out.append("_ratio");
        }
        return out.toString();
    }

    /** The runs of valid characters in {@code name}; {@code _} is valid only if {@code keepUnderscores}. */
    private static List<String> split(String name, boolean keepUnderscores) {
        List<String> tokens = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean valid = isAlphanumeric(c) || c == ':' || (keepUnderscores && c == '_');
            if (valid && start < 0) {
                start = i;
            } else if (!valid && start >= 0) {
                tokens.add(name.substring(start, i));
                start = -1;
            }
        }
        if (start >= 0) {
            tokens.add(name.substring(start));
        }
        return tokens;
    }

    /** A unit suffix made of valid characters: others become {@code _}, runs of {@code _} one, no leading {@code _}. */
    private static String cleanUnit(String unit) {
        StringBuilder out = new StringBuilder(unit.length());
        unit.codePoints().forEach(c -> {
            boolean valid = c < 128 && (isAlphanumeric((char) c) || c == ':');
            if (valid) {
                out.append((char) c);
            } else if (out.length() > 0 && out.charAt(out.length() - 1) != '_') {
                out.append('_');
            }
        });
        return out.toString();
    }

    private static String trimTrailingUnderscore(String s) {
        return s.endsWith("_") ? s.substring(0, s.length() - 1) : s;
    }

    /** Removes {@code suffix} and the character before it, if something is left before those. */
    private static String trimSuffixAndDelimiter(String name, String suffix) {
        return name.endsWith(suffix) && name.length() > suffix.length() + 1
                ? name.substring(0, name.length() - suffix.length() - 1) : name;
    }

    static boolean isAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c);
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
