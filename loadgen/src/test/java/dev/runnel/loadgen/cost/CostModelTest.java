package dev.runnel.loadgen.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.runnel.loadgen.scrape.Counters;
import dev.runnel.loadgen.scrape.MetricsText;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostModelTest {
    private static final double MONTH = 730 * 3600.0;

    /** 1 GB ingested per month: every per-month figure is then also per GB ingested. */
    private static Usage oneGbPerMonth(double crossZoneBytes, double puts, double gets, double lists, double putBytes) {
        return new Usage(MONTH, 1e9, crossZoneBytes, 0, 0, puts, gets, lists, 0, putBytes);
    }

    @Test
    void kafkaRf3CrossesZonesFourTimesTheProducedBytesWithTwoConsumers() {
        CostModel.Comparison c = CostModel.compare(oneGbPerMonth(0, 0, 0, 0, 0), Prices.AWS);
        assertThat(c.ingestedGbPerMonth()).isCloseTo(1, within(1e-12));
        List<CostModel.Line> k = c.kafka();
        assertThat(k).extracting(CostModel.Line::item)
                .containsExactly("producer → leader", "leader → 2 followers", "leader → 2 consumers", "disks, 3 replicas");
        assertThat(k.get(0).quantityPerMonth()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(k.get(1).quantityPerMonth()).isCloseTo(2, within(1e-12));
        assertThat(k.get(2).quantityPerMonth()).isCloseTo(4.0 / 3, within(1e-12));
        // 2/3 + 2 + 4/3 = 4 GB crossing, at $0.01 on each side
        double transfer = k.get(0).dollarsPerMonth() + k.get(1).dollarsPerMonth() + k.get(2).dollarsPerMonth();
        assertThat(transfer).isCloseTo(4 * 2 * 0.01, within(1e-12));
        // 24 h of retention on 3 disks at $0.08/GB-month
        assertThat(k.get(3).dollarsPerMonth()).isCloseTo(24 / 730.0 * 3 * 0.08, within(1e-12));
        assertThat(c.kafkaTotal()).isCloseTo(0.08 + 24 / 730.0 * 0.24, within(1e-12));
        assertThat(k.get(3).dollarsPerGbIngested()).isEqualTo(k.get(3).dollarsPerMonth());
    }

    @Test
    void runnelPaysForItsMeasuredCrossZoneBytesRequestsAndStorage() {
        // per second: 0.5 GB/month cross-zone, 4 puts + 1 list, 10 gets, put bytes = ingested
        CostModel.Comparison c = CostModel.compare(oneGbPerMonth(0.5e9, 4 * MONTH, 10 * MONTH, MONTH, 1e9),
                new Prices(0.01, 0.005, 0.0004, 0.023, 0.08, Duration.ofDays(7), 2));
        List<CostModel.Line> r = c.runnel();
        assertThat(r.get(0).dollarsPerMonth()).isCloseTo(0.5 * 2 * 0.01, within(1e-12));
        assertThat(r.get(1).dollarsPerMonth()).isCloseTo(5 * MONTH / 1000 * 0.005, within(1e-6));
        assertThat(r.get(2).dollarsPerMonth()).isCloseTo(10 * MONTH / 1000 * 0.0004, within(1e-6));
        assertThat(r.get(3).quantityPerMonth()).isCloseTo(7 * 24 / 730.0, within(1e-12)); // GB stored at steady state
        assertThat(r.get(3).dollarsPerMonth()).isCloseTo(7 * 24 / 730.0 * 0.023, within(1e-12));
        assertThat(c.runnelTotal()).isCloseTo(r.stream().mapToDouble(CostModel.Line::dollarsPerMonth).sum(), within(1e-12));
    }

    @Test
    void everyLineCarriesItsFormulaWithThePrices() {
        CostModel.Comparison c = CostModel.compare(oneGbPerMonth(0, 0, 0, 0, 0), new Prices(0.02, 0.005, 0.0004, 0.023, 0.1,
                Duration.ofHours(24), 3));
        assertThat(c.kafka().get(2).item()).isEqualTo("leader → 3 consumers");
        assertThat(c.kafka().get(2).formula()).isEqualTo("ingested GB × 3 consumers × 2/3 × 2 sides × $0.02/GB");
        assertThat(c.runnel().get(3).formula()).isEqualTo("put_bytes/s × retention 86400 s / 1e9 × $0.023/GB-month");
        assertThat(c.runnel().get(2).formula()).endsWith("× $0.0004");
        assertThat(CostReport.table(c)).contains("kafka-rf3", "total", "ingested GB × 2 × 2 sides × $0.02/GB");
        assertThat(CostReport.toMap(c)).containsKeys("prices", "usage", "runnel", "kafka_rf3", "runnel_total_dollars_per_month");
    }

    @Test
    void perGbIsUndefinedWithoutIngestAndAnEmptyWindowIsRefused() {
        CostModel.Comparison c = CostModel.compare(new Usage(10, 0, 0, 0, 0, 0, 0, 0, 0, 0), Prices.AWS);
        assertThat(c.kafka().get(0).dollarsPerGbIngested()).isNaN();
        assertThatThrownBy(() -> CostModel.compare(new Usage(0, 1, 0, 0, 0, 0, 0, 0, 0, 0), Prices.AWS))
                .hasMessageContaining("the scrapes must be apart in time");
        assertThatThrownBy(() -> new Prices(-1, 0, 0, 0, 0, Duration.ZERO, 2)).hasMessage("cross-AZ price must be a non-negative number: -1.0");
    }

    @Test
    void usageSumsCrossZoneBytesOnceAndLeavesTheObjectStoreAndUnknownZonesOut() {
        Counters c = Counters.of(List.of(
                net("received", "kafka-client", "zone-a", "zone-b", 100),
                net("sent", "kafka-client", "zone-a", "zone-b", 10),
                net("sent", "querier", "zone-b", "zone-c", 5),
                net("received", "kafka-client", "zone-a", "zone-a", 1000),
                net("received", "kafka-client", "zone-a", "unknown", 7),
                net("sent", "object-store", "zone-a", "regional", 50_000),
                new MetricsText.Sample("runnel_agent_produced_bytes_total", Map.of(), 900),
                req("put", 3), req("get", 4), req("range_get", 5), req("list", 1), req("delete", 2),
                new MetricsText.Sample("runnel_object_store_bytes_total", Map.of("operation", "put"), 800),
                new MetricsText.Sample("runnel_object_store_bytes_total", Map.of("operation", "get"), 99)), 10);
        Usage u = Usage.from(c);
        assertThat(u).isEqualTo(new Usage(10, 900, 115, 1000, 7, 3, 9, 1, 2, 800));
    }

    private static MetricsText.Sample net(String direction, String peer, String local, String peerZone, double v) {
        return new MetricsText.Sample("runnel_network_bytes_total",
                Map.of("direction", direction, "peer", peer, "local_zone", local, "peer_zone", peerZone), v);
    }

    private static MetricsText.Sample req(String operation, double v) {
        return new MetricsText.Sample("runnel_object_store_requests_total", Map.of("operation", operation, "outcome", "success"), v);
    }
}
