package dev.runnel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormattingTest {

    @Test
    void durationsParseAndPrintTheWayRunnelFlagsSpellThem() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("20s")).isEqualTo(Duration.ofSeconds(20));
        assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("0.5s")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("7")).isEqualTo(Duration.ofSeconds(7));
        assertThatThrownBy(() -> Durations.parse("20 parsecs")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Durations.format(Duration.ofSeconds(20))).isEqualTo("20s");
        assertThat(Durations.format(Duration.ofSeconds(120))).isEqualTo("2m");
    }

    @Test
    void numbersRatiosAndMillis() {
        assertThat(Table.num(1234.567, 1)).isEqualTo("1,234.6");
        assertThat(Table.num(Double.NaN, 1)).isEqualTo("-");
        assertThat(Table.count(1234567)).isEqualTo("1,234,567");
        assertThat(Table.ratio(83, 100)).isEqualTo("0.83x");
        assertThat(Table.ratio(1, 0)).isEqualTo("-");
        assertThat(Table.ratio(Double.NaN, 3)).isEqualTo("-");
        assertThat(Table.millis(6_223)).isEqualTo("6.223");
        assertThat(Table.millis(271_900)).isEqualTo("271.9");
        assertThat(Table.millis(1_234_500)).isEqualTo("1,234.5");
    }

    @Test
    void tableAlignsTheFirstColumnLeftAndTheRestRight() {
        String out = new Table("", "Kafka", "Runnel")
                .section("Throughput")
                .row("  MB/s", "92.8", "101.3")
                .row("  records/s", "90,624", "98,900")
                .render();
        assertThat(out.split("\n")).containsExactly(
                "              Kafka  Runnel",
                "---------------------------",
                "Throughput",
                "  MB/s         92.8   101.3",
                "  records/s  90,624  98,900");
    }

    @Test
    void prometheusTextIsSummedByNameAndLabels() {
        Prometheus p = Prometheus.parse("""
                # HELP runnel_object_store_requests_total Object store requests by operation and outcome.
                # TYPE runnel_object_store_requests_total counter
                runnel_object_store_requests_total{operation="get",outcome="success"} 7.0
                runnel_object_store_requests_total{operation="put",outcome="success"} 81.0
                runnel_object_store_requests_total{operation="put",outcome="error"} 2.0
                runnel_agent_flushes_total{reason="time"} 80 1712345678000
                runnel_agent_flushes_total{reason="size"} 1.0
                runnel_agent_connections 3
                weird_label{path="a\\"b,c}"} 1
                """);
        assertThat(p.sum("runnel_object_store_requests_total", Map.of("operation", "put", "outcome", "success")))
                .hasValue(81.0);
        assertThat(p.sum("runnel_object_store_requests_total", Map.of("operation", "put"))).hasValue(83.0);
        assertThat(p.sum("runnel_agent_flushes_total", Map.of())).hasValue(81.0);
        assertThat(p.sum("runnel_agent_connections", Map.of())).hasValue(3.0);
        assertThat(p.sum("weird_label", Map.of("path", "a\"b,c}"))).hasValue(1.0);
        assertThat(p.sum("missing_total", Map.of())).isEmpty();
    }

    @Test
    void payloadsCarryProducerAndSequenceAndAreNotZero() {
        byte[] v = Payloads.make(1024, 3, 123_456);
        assertThat(v).hasSize(1024);
        assertThat(Payloads.producer(v)).isEqualTo(3);
        assertThat(Payloads.seq(v)).isEqualTo(123_456);
        int zeros = 0;
        for (byte b : v) {
            zeros += b == 0 ? 1 : 0;
        }
        assertThat(zeros).isLessThan(64);
        assertThat(Payloads.make(1024, 3, 123_457)).isNotEqualTo(v);
    }

    @Test
    void optionsParseWithDefaultsAndTargetsFollowTheBatchTimeout() {
        LogBenchmark b = new LogBenchmark();
        new picocli.CommandLine(b).parseArgs("--duration=10s", "--batch-timeout=200ms",
                "--producer-prop", "linger.ms=20", "--agent-arg=-agent.batch-max-bytes=8388608");
        assertThat(b.duration).isEqualTo(Duration.ofSeconds(10));
        assertThat(b.warmup).isEqualTo(Duration.ofSeconds(5));
        assertThat(b.partitions).isEqualTo(64);
        assertThat(b.recordBytes).isEqualTo(1024);
        assertThat(b.producers).isEqualTo(2);
        assertThat(b.putCheckPartitions).isEqualTo(1000);
        assertThat(b.latencyTargetMillis()).isEqualTo(250.0);
        assertThat(b.putTargetPerSecond()).isEqualTo(5.0);
        assertThat(b.producerProps()).containsEntry("linger.ms", "20").containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true");
        assertThat(b.agentArgs).containsExactly("-agent.batch-max-bytes=8388608");
    }

    @Test
    void kafkaServerPropertiesKeepKafkasDefaultFlushPolicy() {
        String props = KafkaBroker.serverProperties(9092, 9093, java.nio.file.Path.of("/tmp/x"));
        assertThat(props).contains("process.roles=broker,controller", "controller.quorum.voters=1@127.0.0.1:9093",
                "listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093", "log.dirs=/tmp/x");
        assertThat(props.lines().filter(l -> !l.startsWith("#"))).noneMatch(l -> l.startsWith("log.flush"));
    }
}
