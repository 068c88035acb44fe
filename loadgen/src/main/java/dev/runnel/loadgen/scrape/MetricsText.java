package dev.runnel.loadgen.scrape;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the Prometheus text exposition format (version 0.0.4) into samples: {@code name{label="value",...} value
 * [timestamp]} lines; {@code #} lines (HELP, TYPE, comments) and blank lines are skipped. Label values may hold
 * the escapes {@code \\}, {@code \"} and {@code \n}; values may be {@code NaN}, {@code +Inf}, {@code -Inf}.
 * A line it cannot read fails the whole text with its line number: a half-read scrape would make wrong deltas.
 */
public final class MetricsText {
    private MetricsText() {
    }

    /** One sample: a series (name and sorted labels) and its value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    public static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            try {
                samples.add(parseLine(l));
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new IllegalArgumentException("line " + lineNo + " is not a Prometheus text-format sample ("
                        + e.getMessage() + "): " + abbreviate(l));
            }
        }
        return samples;
    }

    private static Sample parseLine(String l) {
        int i = 0;
        while (i < l.length() && isNameChar(l.charAt(i), i == 0)) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("no metric name");
        }
        String name = l.substring(0, i);
        Map<String, String> labels = new TreeMap<>();
        if (i < l.length() && l.charAt(i) == '{') {
            i = parseLabels(l, i + 1, labels);
        }
        String[] rest = l.substring(i).strip().split("\\s+");
        if (rest.length < 1 || rest.length > 2 || rest[0].isEmpty()) {
            throw new IllegalArgumentException("expected a value and an optional timestamp after the series");
        }
        return new Sample(name, Collections.unmodifiableMap(labels), parseValue(rest[0]));
    }

    /** Reads {@code name="value",...}} from {@code i}; returns the index after the closing brace. */
    private static int parseLabels(String l, int i, Map<String, String> labels) {
        while (true) {
            while (l.charAt(i) == ' ') {
                i++;
            }
            if (l.charAt(i) == '}') {
                return i + 1;
            }
            int start = i;
            while (isNameChar(l.charAt(i), i == start)) {
                i++;
            }
            if (i == start || l.charAt(i) != '=' || l.charAt(i + 1) != '"') {
                throw new IllegalArgumentException("expected label=\"value\" at column " + (start + 1));
            }
            String label = l.substring(start, i);
            i += 2;
            StringBuilder value = new StringBuilder();
            for (char c = l.charAt(i); c != '"'; c = l.charAt(i)) {
                if (c == '\\') {
                    char e = l.charAt(++i);
                    value.append(switch (e) {
                        case 'n' -> '\n';
                        case '\\', '"' -> e;
                        default -> throw new IllegalArgumentException("unknown escape \\" + e + " at column " + (i + 1));
                    });
                } else {
                    value.append(c);
                }
                i++;
            }
            labels.put(label, value.toString());
            i++;
            if (l.charAt(i) == ',') {
                i++;
            } else if (l.charAt(i) != '}') {
                throw new IllegalArgumentException("expected , or } at column " + (i + 1));
            }
        }
    }

    private static double parseValue(String s) {
        return switch (s) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("value \"" + s + "\" is not a number");
                }
            }
        };
    }

    private static boolean isNameChar(char c, boolean first) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || !first && c >= '0' && c <= '9';
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
