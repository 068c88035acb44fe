package dev.runnel.loadgen.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScraperTest {
    private HttpServer server;
    private final AtomicReference<String> a = new AtomicReference<>();
    private final AtomicReference<String> b = new AtomicReference<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serve("/a", a);
        serve("/b", b);
        server.start();
    }

    private void serve(String path, AtomicReference<String> body) {
        server.createContext(path, exchange -> {
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(body.get().startsWith("!") ? 500 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void countersGrowthIsSummedOverUrlsAndResetsCountFromZero() throws Exception {
        Scraper scraper = new Scraper(List.of(url("/a"), url("/b")), Duration.ofSeconds(5));
        a.set("x_total{k=\"1\"} 10\ngauge 5\n");
        b.set("x_total{k=\"1\"} 100\n");
        Scraper.Snapshot before = scraper.scrape();
        a.set("x_total{k=\"1\"} 15\nx_total{k=\"2\"} 7\ngauge 9\n");
        b.set("x_total{k=\"1\"} 3\n"); // restarted
        Counters c = scraper.scrape().since(before);

        assertThat(c.sum("x_total", l -> "1".equals(l.get("k")))).isEqualTo(5 + 3);
        assertThat(c.sum("x_total", l -> "2".equals(l.get("k")))).isEqualTo(7); // new series count whole
        assertThat(c.sum("gauge")).isZero(); // only counters
        assertThat(c.seconds()).isPositive();
    }

    @Test
    void aFailedScrapeSaysWhichUrlAndWhy() {
        a.set("!oops");
        b.set("m{ 1\n");
        assertThatThrownBy(() -> new Scraper(List.of(url("/a")), Duration.ofSeconds(5)).scrape())
                .hasMessage("scrape of " + url("/a") + " answered HTTP 500");
        assertThatThrownBy(() -> new Scraper(List.of(url("/b")), Duration.ofSeconds(5)).scrape())
                .hasMessageStartingWith("scrape of " + url("/b") + ": line 1 is not a Prometheus text-format sample");
    }
}
