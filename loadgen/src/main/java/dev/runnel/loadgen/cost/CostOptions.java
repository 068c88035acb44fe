package dev.runnel.loadgen.cost;

import dev.runnel.loadgen.Durations;
import dev.runnel.loadgen.scrape.Counters;
import dev.runnel.loadgen.scrape.Scraper;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The cost model's options of {@code bin/loadgen} (a picocli mixin): which {@code /metrics} to scrape around the
 * run, and every price. Without {@code --scrape} there is no cost model.
 */
public final class CostOptions {
    @Option(names = "--scrape", paramLabel = "URL", description = "A component's /metrics to scrape before and after the "
            + "run for the cost model; repeatable (e.g. http://127.0.0.1:8080/metrics).")
    List<URI> scrape = new ArrayList<>();

    @Option(names = "--price-cross-az-gb", defaultValue = "0.01",
            description = "Dollars per GB crossing zones, charged on each side (default: ${DEFAULT-VALUE}).")
    double crossAz;

    @Option(names = "--price-put-1000", defaultValue = "0.005",
            description = "Dollars per 1,000 object-store PUT or LIST requests (default: ${DEFAULT-VALUE}).")
    double put;

    @Option(names = "--price-get-1000", defaultValue = "0.0004",
            description = "Dollars per 1,000 object-store GET requests (default: ${DEFAULT-VALUE}).")
    double get;

    @Option(names = "--price-object-gb-month", defaultValue = "0.023",
            description = "Dollars per GB-month of object storage (default: ${DEFAULT-VALUE}).")
    double objectGbMonth;

    @Option(names = "--price-disk-gb-month", defaultValue = "0.08",
            description = "Dollars per GB-month of a Kafka broker's disk, EBS gp3-like (default: ${DEFAULT-VALUE}).")
    double diskGbMonth;

    @Option(names = "--cost-retention", defaultValue = "24h", converter = Durations.class,
            description = "How long the log keeps data, for storage costs (default: ${DEFAULT-VALUE}).")
    Duration retention;

    @Option(names = "--kafka-consumers", defaultValue = "2",
            description = "Consumer groups reading every byte in the Kafka model; RF2 ingesters are 2 (default: ${DEFAULT-VALUE}).")
    int kafkaConsumers;

    /** Checks the prices; call before the run so a bad flag fails at once. */
    public Prices prices() {
        return new Prices(crossAz, put, get, objectGbMonth, diskGbMonth, retention, kafkaConsumers);
    }

    /** Null without {@code --scrape}. */
    public Scraper scraper() {
        return scrape.isEmpty() ? null : new Scraper(scrape, Duration.ofSeconds(10));
    }

    /** The comparison from the counters' growth over the run. */
    public CostModel.Comparison compare(Counters counters) {
        return CostModel.compare(Usage.from(counters), prices());
    }
}
