package dev.runnel.loadgen.scrape;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scrapes the components' {@code /metrics} before and after a run ({@code --scrape}, repeatable) and gives what
 * the counters grew by, summed over every URL. Only counter-like series are kept: names ending in {@code _total}.
 */
public final class Scraper {
    private final List<URI> urls;
    private final HttpClient client;
    private final Duration timeout;

    public Scraper(List<URI> urls, Duration timeout) {
        this.urls = List.copyOf(urls);
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** One scrape of every URL; fails with a message naming the URL and what went wrong. */
    public Snapshot scrape() throws IOException, InterruptedException {
        long now = System.nanoTime();
        Map<SeriesKey, Double> values = new HashMap<>();
        for (URI url : urls) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(url).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw new IOException("scrape of " + url + " answered HTTP " + response.statusCode());
            }
            List<MetricsText.Sample> samples;
            try {
                samples = MetricsText.parse(response.body());
            } catch (IllegalArgumentException e) {
                throw new IOException("scrape of " + url + ": " + e.getMessage(), e);
            }
            for (MetricsText.Sample s : samples) {
                if (s.name().endsWith("_total")) {
                    values.merge(new SeriesKey(url, s.name(), s.labels()), s.value(), Double::sum);
                }
            }
        }
        return new Snapshot(now, values);
    }

    record SeriesKey(URI url, String name, Map<String, String> labels) {
    }

    /** The counters of every URL at one moment. */
    public static final class Snapshot {
        private final long nanoTime;
        private final Map<SeriesKey, Double> values;

        Snapshot(long nanoTime, Map<SeriesKey, Double> values) {
            this.nanoTime = nanoTime;
            this.values = values;
        }

        /** What each series grew by from {@code before} to this scrape, summed over URLs per name and labels. */
        public Counters since(Snapshot before) {
            Map<List<Object>, MetricsText.Sample> summed = new HashMap<>();
            values.forEach((key, after) -> {
                double was = before.values.getOrDefault(key, 0.0);
                double delta = after >= was ? after - was : after; // a reset counts from zero
                summed.merge(List.of(key.name(), key.labels()), new MetricsText.Sample(key.name(), key.labels(), delta),
                        (a, b) -> new MetricsText.Sample(a.name(), a.labels(), a.value() + b.value()));
            });
            return new Counters(new ArrayList<>(summed.values()), (nanoTime - before.nanoTime) / 1e9);
        }
    }
}
