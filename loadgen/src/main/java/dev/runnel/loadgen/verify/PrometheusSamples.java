package dev.runnel.loadgen.verify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads raw samples through the Prometheus HTTP API: an instant query of a range selector,
 * {@code {__name__="m"}[<to-from>ms]} at {@code time = to - 1ms}, answers a matrix of the stored samples themselves
 * (no evaluation, no lookback). Works against Runnel's querier, Prometheus and VictoriaMetrics. Every request names
 * the tenant ({@code X-Scope-OrgID}) and asks for {@code X-Read-Consistency: strong} (read after write, where the
 * target supports it). The answer is parsed as a stream, one series at a time.
 */
public final class PrometheusSamples implements SampleSource {
    private static final JsonFactory JSON = new JsonFactory();

    private final URI queryUrl;
    private final Duration timeout;
    private final HttpClient client;

    /** @param prefix the API's prefix: {@code http://host:8080/prometheus} for Runnel, {@code http://host:9090} */
    public PrometheusSamples(URI prefix, Duration timeout) {
        String base = prefix.toString();
        this.queryUrl = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/api/v1/query");
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /** The query for the samples of {@code [from, to)}: a range selector that reaches one millisecond further back. */
    static String query(String metricName, long fromMillis, long toMillis) {
        // Prometheus 2 selects [t - range, t], Prometheus 3 (t - range, t]: with t = to - 1 and range = to - from
        // both cover [from, to); the caller drops the one extra millisecond.
        return "{__name__=\"" + metricName + "\"}[" + (toMillis - fromMillis) + "ms]";
    }

    static String time(long millis) {
        return String.format(Locale.ROOT, "%d.%03d", Math.floorDiv(millis, 1000), Math.floorMod(millis, 1000));
    }

    @Override
    public void read(String tenantId, String metricName, long fromMillis, long toMillis, SeriesVisitor visitor)
            throws IOException, InterruptedException {
        String form = "query=" + URLEncoder.encode(query(metricName, fromMillis, toMillis), StandardCharsets.UTF_8)
                + "&time=" + time(toMillis - 1);
        HttpRequest request = HttpRequest.newBuilder(queryUrl)
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Scope-OrgID", tenantId)
                .header("X-Read-Consistency", "strong")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                String text = new String(body.readNBytes(2000), StandardCharsets.UTF_8);
                throw new IOException("query " + query(metricName, fromMillis, toMillis) + " of " + tenantId + " at "
                        + queryUrl + " answered " + response.statusCode() + ": " + text.strip());
            }
            parse(body, visitor);
        }
    }

    /** Parses a successful answer of a range-selector query: {@code data.result[]} of {@code metric} and {@code values}. */
    static void parse(InputStream body, SeriesVisitor visitor) throws IOException {
        try (JsonParser p = JSON.createParser(body)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, p);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if ("status".equals(field)) {
                    if (!"success".equals(p.getText())) {
                        throw new IOException("query answered status " + p.getText());
                    }
                } else if ("data".equals(field)) {
                    data(p, visitor);
                } else {
                    p.skipChildren();
                }
            }
        }
    }

    private static void data(JsonParser p, SeriesVisitor visitor) throws IOException {
        expect(p.currentToken(), JsonToken.START_OBJECT, p);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            if ("resultType".equals(field)) {
                if (!"matrix".equals(p.getText())) {
                    throw new IOException("expected a matrix of raw samples, got a " + p.getText());
                }
            } else if ("result".equals(field)) {
                expect(p.currentToken(), JsonToken.START_ARRAY, p);
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    series(p, visitor);
                }
            } else {
                p.skipChildren();
            }
        }
    }

    private static void series(JsonParser p, SeriesVisitor visitor) throws IOException {
        Map<String, String> labels = new LinkedHashMap<>();
        long[] timestamps = new long[16];
        double[] values = new double[16];
        int n = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            if ("metric".equals(field)) {
                expect(p.currentToken(), JsonToken.START_OBJECT, p);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    labels.put(name, p.getText());
                }
            } else if ("values".equals(field)) {
                expect(p.currentToken(), JsonToken.START_ARRAY, p);
                while (p.nextToken() == JsonToken.START_ARRAY) {
                    if (n == timestamps.length) {
                        timestamps = Arrays.copyOf(timestamps, n * 2);
                        values = Arrays.copyOf(values, n * 2);
                    }
                    p.nextToken();
                    timestamps[n] = p.getDecimalValue().movePointRight(3).longValue();
                    p.nextToken();
                    values[n] = value(p.getText());
                    n++;
                    expect(p.nextToken(), JsonToken.END_ARRAY, p);
                }
            } else {
                p.skipChildren();
            }
        }
        visitor.series(labels, timestamps, values, n);
    }

    /** Prometheus' float format: Go's shortest digits, or NaN, +Inf, -Inf. */
    private static double value(String s) {
        return switch (s) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    private static void expect(JsonToken actual, JsonToken expected, JsonParser p) throws IOException {
        if (actual != expected) {
            throw new IOException("unexpected query answer: " + expected + " expected, got " + actual + " at "
                    + p.currentLocation());
        }
    }
}
