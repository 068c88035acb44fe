package dev.runnel.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** A scrape of a Prometheus text exposition: samples with their labels. */
final class Prometheus {
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private Prometheus(List<Sample> samples) {
        this.samples = samples;
    }

    static Prometheus scrape(HttpClient http, URI uri) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + uri + " answered " + r.statusCode());
        }
        return parse(r.body());
    }

    static Prometheus parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            String name;
            Map<String, String> labels = new LinkedHashMap<>();
            String rest;
            if (brace >= 0 && (space < 0 || brace < space)) {
                name = line.substring(0, brace);
                int end = parseLabels(line, brace + 1, labels);
                rest = line.substring(end + 1).strip();
            } else if (space > 0) {
                name = line.substring(0, space);
                rest = line.substring(space + 1).strip();
            } else {
                continue;
            }
            String[] parts = rest.split("\\s+");
            try {
                out.add(new Sample(name, labels, parseValue(parts[0])));
            } catch (NumberFormatException e) {
                // not a sample line we understand; skip it
            }
        }
        return new Prometheus(out);
    }

    private static double parseValue(String v) {
        return switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(v);
        };
    }

    /** Parses {@code a="x",b="y"} starting at {@code i}; returns the index of the closing brace. */
    private static int parseLabels(String s, int i, Map<String, String> labels) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '}') {
                return i;
            }
            if (c == ',' || c == ' ') {
                i++;
                continue;
            }
            int eq = s.indexOf('=', i);
            String key = s.substring(i, eq).strip();
            int q = s.indexOf('"', eq) + 1;
            StringBuilder v = new StringBuilder();
            while (q < s.length() && s.charAt(q) != '"') {
                char ch = s.charAt(q);
                if (ch == '\\' && q + 1 < s.length()) {
                    char n = s.charAt(++q);
                    v.append(n == 'n' ? '\n' : n);
                } else {
                    v.append(ch);
                }
                q++;
            }
            labels.put(key, v.toString());
            i = q + 1;
        }
        throw new IllegalArgumentException("unterminated label set: " + s);
    }

    List<Sample> samples() {
        return samples;
    }

    /** Sum of the samples of {@code name} whose labels include all of {@code match}; empty if there is none. */
    OptionalDouble sum(String name, Map<String, String> match) {
        double total = 0;
        boolean found = false;
        for (Sample s : samples) {
            if (s.name().equals(name) && s.labels().entrySet().containsAll(match.entrySet())) {
                total += s.value();
                found = true;
            }
        }
        return found ? OptionalDouble.of(total) : OptionalDouble.empty();
    }
}
