package dev.runnel.ingester.consume;

import static dev.runnel.ingester.TestRecords.record;
import static dev.runnel.ingester.labels.LabelMatcher.equal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.ingester.chunk.SampleIterator;
import dev.runnel.ingester.chunk.ValueType;
import dev.runnel.ingester.head.HeadConfig;
import dev.runnel.ingester.head.Heads;
import dev.runnel.ingester.head.TenantHead;
import dev.runnel.ingester.query.SeriesSet;
import dev.runnel.log.agent.LocalAgent;
import dev.runnel.proto.prometheus.write.v2.Request;
import dev.runnel.proto.prometheus.write.v2.Sample;
import dev.runnel.proto.prometheus.write.v2.TimeSeries;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The consumer against a real agent of the log, fed by a plain Kafka producer with records as the distributor writes them. */
class PartitionConsumerIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final AtomicInteger topics = new AtomicInteger();

    @TempDir
    static Path dir;
    private static LocalAgent log;
    private static String bootstrap;
    private static KafkaProducer<byte[], byte[]> producer;

    private final List<PartitionConsumer> consumers = new ArrayList<>();
    private final Heads heads = new Heads(HeadConfig.DEFAULT);
    private String topic;

    @BeforeAll
    static void startAgent() {
        log = LocalAgent.start(dir);
        bootstrap = log.bootstrap();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 0),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stopAgent() {
        producer.close();
        log.close();
    }

    @AfterEach
    void closeConsumers() {
        consumers.forEach(PartitionConsumer::close);
    }

    /** A new topic of one partition for each test, so tests share the agent and nothing else. */
    private String newTopic() throws Exception {
        String name = "ingest-" + topics.incrementAndGet();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get();
        }
        return name;
    }

    private PartitionConsumer start(OptionalLong resume, PrometheusRegistry registry) {
        ConsumeConfig config = ConsumeConfig.of(bootstrap, 0, ConsumeConfig.group("a", 0), Duration.ofHours(2)).withTopic(topic);
        PartitionConsumer consumer = PartitionConsumer.start(config, heads, resume, ConsumerMetrics.register(registry), Time.SYSTEM);
        consumers.add(consumer);
        return consumer;
    }

    private long produce(String tenant, byte[] value) throws Exception {
        return produce(tenant, value, null);
    }

    private long produce(String tenant, byte[] value, Long timestamp) throws Exception {
        byte[] key = tenant == null ? null : tenant.getBytes(StandardCharsets.UTF_8);
        return producer.send(new ProducerRecord<>(topic, 0, timestamp, key, value)).get().offset();
    }

    /** instance → {timestamp → value} of {@code metric} in the tenant's head. */
    private Map<String, Map<Long, Double>> samples(String tenant, String metric) {
        Map<String, Map<Long, Double>> out = new TreeMap<>();
        TenantHead head = heads.get(tenant);
        if (head == null) {
            return out;
        }
        SeriesSet set = head.querier().select(Long.MIN_VALUE, Long.MAX_VALUE, List.of(equal("__name__", metric)));
        while (set.next()) {
            Map<Long, Double> series = out.computeIfAbsent(set.labels().get("instance"), k -> new TreeMap<>());
            SampleIterator it = set.samples();
            while (it.next() == ValueType.FLOAT) {
                series.put(it.timestamp(), it.value());
            }
        }
        return out;
    }

    private static double metric(PrometheusRegistry registry, String name, String... labels) {
        MetricSnapshot snapshot = registry.scrape().stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst().orElseThrow();
        for (DataPointSnapshot d : snapshot.getDataPoints()) {
            boolean match = true;
            for (int i = 0; i < labels.length; i += 2) {
                match &= labels[i + 1].equals(d.getLabels().get(labels[i]));
            }
            if (match) {
                return d instanceof CounterSnapshot.CounterDataPointSnapshot c ? c.getValue() : ((GaugeSnapshot.GaugeDataPointSnapshot) d).getValue();
            }
        }
        return 0;
    }

    @Test
    void replaysRecordsOfTwoTenantsIntoTheirHeadsExactly() throws Exception {
        topic = newTopic();
        Map<String, Map<Long, Double>> expectedA = new TreeMap<>();
        Map<String, Map<Long, Double>> expectedB = new TreeMap<>();
        long last = -1;
        for (int i = 0; i < 20; i++) {
            String tenant = i % 2 == 0 ? "a" : "b";
            long t = 1_000L * (i + 1);
            last = produce(tenant, record("up", t, i, "x", "y", "z"));
            for (String instance : List.of("x", "y", "z")) {
                (tenant.equals("a") ? expectedA : expectedB).computeIfAbsent(instance, k -> new TreeMap<>()).put(t, (double) i);
            }
        }
        PrometheusRegistry registry = new PrometheusRegistry();
        PartitionConsumer consumer = start(OptionalLong.empty(), registry);

        assertThat(consumer.waitForOffset(last, WAIT)).isTrue();
        assertThat(samples("a", "up")).isEqualTo(expectedA);
        assertThat(samples("b", "up")).isEqualTo(expectedB);
        assertThat(consumer.nextOffset()).isEqualTo(last + 1);
        assertThat(metric(registry, "runnel_ingester_partition_records_consumed")).isEqualTo(20);
        assertThat(metric(registry, "runnel_ingester_partition_replay_samples")).isEqualTo(60);
        assertThat(metric(registry, "runnel_ingester_partition_consumed_offset")).isEqualTo(last);
        assertThat(metric(registry, "runnel_ingester_partition_lag_records")).isZero();
        assertThat(metric(registry, "runnel_ingester_partition_lag_seconds")).isZero();
    }

    @Test
    void skipsAndCountsUnreadableRecordsAndAppliesTheFollowingOnes() throws Exception {
        topic = newTopic();
        produce("a", record("up", 1000, 1, "x"));
        produce("a", new byte[] {1, (byte) 0xff, (byte) 0xff, (byte) 0xff}); // version 1, then garbage
        produce("a", new byte[] {7, 0, 0}); // a version from the future
        produce(null, record("up", 2000, 2, "x"));
        produce("a", null);
        long last = produce("a", record("up", 3000, 3, "x"));
        PrometheusRegistry registry = new PrometheusRegistry();
        PartitionConsumer consumer = start(OptionalLong.empty(), registry);

        assertThat(consumer.waitForOffset(last, WAIT)).isTrue();
        assertThat(samples("a", "up")).isEqualTo(Map.of("x", Map.of(1000L, 1.0, 3000L, 3.0)));
        assertThat(metric(registry, "runnel_ingester_records_skipped", "reason", "malformed")).isEqualTo(2);
        assertThat(metric(registry, "runnel_ingester_records_skipped", "reason", "unknown_version")).isEqualTo(1);
        assertThat(metric(registry, "runnel_ingester_records_skipped", "reason", "invalid_key")).isEqualTo(1);
        assertThat(metric(registry, "runnel_ingester_partition_records_consumed")).isEqualTo(6);
    }

    @Test
    void resumingAtAnOffsetAppliesNothingTwiceAndSkipsNothing() throws Exception {
        topic = newTopic();
        for (int i = 0; i < 5; i++) {
            produce("a", record("up", 1000L * (i + 1), i, "x"));
        }
        PartitionConsumer first = start(OptionalLong.empty(), new PrometheusRegistry());
        assertThat(first.waitForOffset(4, WAIT)).isTrue();
        long resume = first.nextOffset();
        first.close();
        long last = -1;
        for (int i = 5; i < 10; i++) {
            last = produce("a", record("up", 1000L * (i + 1), i, "x"));
        }

        PrometheusRegistry registry = new PrometheusRegistry();
        PartitionConsumer second = start(OptionalLong.of(resume), registry);
        assertThat(second.waitForOffset(last, WAIT)).isTrue();
        Map<Long, Double> expected = new TreeMap<>();
        for (int i = 0; i < 10; i++) {
            expected.put(1000L * (i + 1), (double) i);
        }
        assertThat(samples("a", "up")).isEqualTo(Map.of("x", expected));
        assertThat(metric(registry, "runnel_ingester_partition_records_consumed")).isEqualTo(5);
        assertThat(metric(registry, "runnel_ingester_partition_replay_samples")).isEqualTo(5);
        assertThat(heads.get("a").stats().samplesAppended()).isEqualTo(10);
    }

    @Test
    void withoutAResumeOffsetStartsAtTheFirstRecordWithinTheRetention() throws Exception {
        topic = newTopic();
        long threeHoursAgo = System.currentTimeMillis() - Duration.ofHours(3).toMillis();
        for (int i = 0; i < 3; i++) {
            produce("a", record("old", 1000L * (i + 1), i, "x"), threeHoursAgo + i);
        }
        long firstRecent = produce("a", record("recent", 1000, 1, "x"));
        long last = produce("a", record("recent", 2000, 2, "x"));
        PrometheusRegistry registry = new PrometheusRegistry();
        PartitionConsumer consumer = start(OptionalLong.empty(), registry);

        assertThat(consumer.waitForOffset(last, WAIT)).isTrue();
        assertThat(firstRecent).isEqualTo(3);
        assertThat(samples("a", "old")).isEmpty();
        assertThat(samples("a", "recent")).isEqualTo(Map.of("x", Map.of(1000L, 1.0, 2000L, 2.0)));
        assertThat(metric(registry, "runnel_ingester_partition_records_consumed")).isEqualTo(2);
    }

    @Test
    void withOnlyRecordsOlderThanTheRetentionStartsAtTheEnd() throws Exception {
        topic = newTopic();
        long threeHoursAgo = System.currentTimeMillis() - Duration.ofHours(3).toMillis();
        long last = -1;
        for (int i = 0; i < 3; i++) {
            last = produce("a", record("old", 1000L * (i + 1), i, "x"), threeHoursAgo + i);
        }
        PartitionConsumer consumer = start(OptionalLong.empty(), new PrometheusRegistry());

        assertThat(consumer.waitForOffset(last, WAIT)).isTrue();
        assertThat(consumer.nextOffset()).isEqualTo(last + 1);
        assertThat(consumer.isCaughtUp(Duration.ZERO)).isTrue();
        long fresh = produce("a", record("fresh", 1000, 1, "x"));
        assertThat(consumer.waitForOffset(fresh, WAIT)).isTrue();
        assertThat(samples("a", "old")).isEmpty();
        assertThat(samples("a", "fresh")).containsOnlyKeys("x");
    }

    @Test
    void becomesReadyOnlyAfterReplayingWhatThePartitionHeldAtTheStart() throws Exception {
        topic = newTopic();
        long anHourAgo = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        int records = 300;
        String[] instances = new String[50];
        for (int i = 0; i < instances.length; i++) {
            instances[i] = "i" + i;
        }
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            sent.add(producer.send(new ProducerRecord<>(topic, 0, anHourAgo + i, "a".getBytes(StandardCharsets.UTF_8),
                    record("up", 1000L * (i + 1), i, instances))));
        }
        for (var f : sent) {
            f.get();
        }
        PartitionConsumer consumer = start(OptionalLong.empty(), new PrometheusRegistry());
        var check = consumer.readinessCheck();

        long deadline = System.nanoTime() + WAIT.toNanos();
        boolean sawNotReady = false;
        // Read the check once per round: it may turn ready between two reads.
        for (var reason = check.get(); reason.isPresent(); reason = check.get()) {
            sawNotReady = true;
            assertThat(reason.get()).contains("is replaying");
            assertThat(System.nanoTime()).as("ready within %s", WAIT).isLessThan(deadline);
            Thread.sleep(1);
        }
        // Ready: every record produced before the start is in the head, none is missing.
        long appended = heads.get("a").stats().samplesAppended();
        assertThat(appended).isEqualTo((long) records * instances.length);
        assertThat(sawNotReady).isTrue();
        assertThat(consumer.isCaughtUp(Duration.ZERO)).isTrue();
        assertThat(check.get()).isEmpty();
    }

    @Test
    void waitForOffsetCompletesOnceTheRecordIsAppliedAndFailsOnClose() throws Exception {
        topic = newTopic();
        PartitionConsumer consumer = start(OptionalLong.empty(), new PrometheusRegistry());
        var future = consumer.applied(0);
        assertThat(consumer.waitForOffset(0, Duration.ofMillis(300))).isFalse();
        long offset = produce("a", record("up", 1000, 1, "x"));
        assertThat(consumer.waitForOffset(offset, WAIT)).isTrue();
        assertThat(future).isCompleted();
        assertThat(samples("a", "up")).containsOnlyKeys("x");

        var never = consumer.applied(offset + 100);
        consumer.close();
        assertThat(never).isCompletedExceptionally();
    }

    @Test
    void commitsOnlyTheDurableOffsetItIsGivenUnderItsGroup() throws Exception {
        topic = newTopic();
        long last = -1;
        for (int i = 0; i < 5; i++) {
            last = produce("a", record("up", 1000L * (i + 1), i, "x"));
        }
        PartitionConsumer consumer = start(OptionalLong.empty(), new PrometheusRegistry());
        assertThat(consumer.waitForOffset(last, WAIT)).isTrue();
        TopicPartition tp = new TopicPartition(topic, 0);
        assertThat(committed(tp)).as("nothing committed before anything is durable").isNull();

        consumer.commitDurable(3).get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertThat(committed(tp).offset()).isEqualTo(3);
    }

    private static OffsetAndMetadata committed(TopicPartition tp) {
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, ConsumeConfig.group("a", 0)), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return reader.committed(Set.of(tp), WAIT).get(tp);
        }
    }

    @Test
    void aResumeOffsetTheLogNoLongerHoldsRestartsAtTheEarliestAndIsCounted() throws Exception {
        topic = newTopic();
        produce("a", record("up", 1000, 1, "x"));
        long last = produce("a", record("up", 2000, 2, "x"));
        PrometheusRegistry registry = new PrometheusRegistry();
        PartitionConsumer consumer = start(OptionalLong.of(1000), registry);

        assertThat(consumer.waitForOffset(last, WAIT)).isTrue();
        assertThat(samples("a", "up")).isEqualTo(Map.of("x", Map.of(1000L, 1.0, 2000L, 2.0)));
        assertThat(metric(registry, "runnel_ingester_partition_offset_resets")).isEqualTo(1);
    }
}
