package dev.runnel.ingester;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.ingester.grpc.ServedPartitions;
import dev.runnel.ingester.head.HeadConfig;
import dev.runnel.ingester.head.Heads;
import dev.runnel.ingester.record.RecordDecoder;
import dev.runnel.ingester.snapshot.SnapshotStore;
import dev.runnel.log.agent.LocalAgent;
import dev.runnel.ring.PartitionRingEditor;
import dev.runnel.ring.PartitionRingStore;
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
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingesters with snapshots against a real agent, whose filesystem object store keeps them: restarts
 * (graceful, and as after kill -9) while records keep coming lose and repeat nothing, a snapshot
 * taken under load equals replaying the records it covers, and both zones hold the same data.
 */
class IngesterSnapshotIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOPIC = "ingest";

    @TempDir
    Path dir;
    private LocalAgent log;
    private KafkaProducer<byte[], byte[]> producer;
    private PartitionRingEditor ring;
    private final ServedPartitions served = new ServedPartitions();
    private final List<Ingester> running = new ArrayList<>();
    /** Offset → (tenant, record value) of everything produced. */
    private final NavigableMap<Long, String[]> produced = new ConcurrentSkipListMap<>();
    private final Map<Long, byte[]> values = new java.util.concurrent.ConcurrentHashMap<>();
    private final long base = System.currentTimeMillis() - Duration.ofMinutes(30).toMillis();

    @BeforeEach
    void start() throws Exception {
        log = LocalAgent.start(dir);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, log.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
        }
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, log.bootstrap(), ProducerConfig.LINGER_MS_CONFIG, 0),
                new ByteArraySerializer(), new ByteArraySerializer());
        ring = new PartitionRingEditor(new PartitionRingStore(log.metadata().kv()), Time.SYSTEM);
    }

    @AfterEach
    void stop() {
        running.forEach(Ingester::close);
        producer.close();
        log.close();
    }

    @Test
    void restartsGracefullyAndAfterACrashWhileRecordsComeHoldExactlyTheRecordsWritten() throws Exception {
        PrometheusRegistry first = new PrometheusRegistry();
        Ingester ingester = start("a", Duration.ofMillis(200), first);
        produce(0, 400);
        awaitApplied(ingester, 400);

        // graceful: a last snapshot at exactly what was applied, committed under the group
        stop(ingester);
        long closedAt = ingester.snapshotOffset();
        assertThat(closedAt).isEqualTo(produced.lastKey() + 1);
        assertThat(committed("a")).isEqualTo(closedAt);

        PrometheusRegistry second = new PrometheusRegistry();
        ingester = start("a", Duration.ofMillis(200), second);
        assertThat(ingester.snapshotOffset()).as("resumed from the last snapshot").isEqualTo(closedAt);
        assertThat(HeadDump.of(ingester.heads())).isEqualTo(HeadDump.of(replay(closedAt)));
        Thread writer = background(() -> produce(400, 1200));
        Ingester current = ingester;
        await(() -> current.snapshotOffset() > closedAt + 200, "a periodic snapshot under load");

        // as after kill -9: no last snapshot, nothing committed, the consumer just gone
        current.halt();
        running.remove(current);
        long crashedWith = HeadDump.samples(current.heads());
        long snapshotAtCrash = current.snapshotOffset();
        assertThat(snapshotAtCrash).isLessThanOrEqualTo(produced.lastKey() + 1);

        PrometheusRegistry third = new PrometheusRegistry();
        ingester = start("a", Duration.ofHours(1), third);
        long resumedAt = ingester.snapshotOffset();
        assertThat(resumedAt).as("the newest durable snapshot").isGreaterThanOrEqualTo(snapshotAtCrash);
        assertThat(HeadDump.samples(ingester.heads())).isLessThanOrEqualTo(crashedWith);
        writer.join();
        produce(1200, 1300);
        awaitApplied(ingester, 1300);

        assertThat(HeadDump.of(ingester.heads())).isEqualTo(HeadDump.of(replay(Long.MAX_VALUE)));
        assertThat(HeadDump.samples(ingester.heads())).isEqualTo(1300L * 2);
        // the restarted ingester read each record after its snapshot once, and none before it
        assertThat(metric(third, "runnel_ingester_partition_records_consumed_total")).isEqualTo(1300 - resumedAt);
    }

    @Test
    void aSnapshotTakenWhileRecordsComeEqualsReplayingItsRecordsAndBothZonesHoldTheSameData() throws Exception {
        Ingester a = start("a", Duration.ofMillis(100), new PrometheusRegistry());
        Ingester b = start("b", Duration.ofMillis(150), new PrometheusRegistry());
        Thread writer = background(() -> produce(0, 1500));
        await(() -> a.snapshotOffset() > 300, "a snapshot of zone a under load");

        SnapshotStore store = new SnapshotStore(log.objects(), TOPIC, 0, "a", SnapshotStore.DEFAULT_PART_BYTES);
        SnapshotStore.Loaded loaded = store.loadNewest(HeadConfig.DEFAULT).orElseThrow();
        assertThat(loaded.offset()).isGreaterThan(300);
        assertThat(HeadDump.of(loaded.heads())).isEqualTo(HeadDump.of(replay(loaded.offset())));
        assertThat(HeadDump.samples(loaded.heads())).isEqualTo(loaded.offset() * 2);

        writer.join();
        awaitApplied(a, 1500);
        awaitApplied(b, 1500);
        String expected = HeadDump.of(replay(Long.MAX_VALUE));
        assertThat(HeadDump.of(a.heads())).isEqualTo(expected);
        assertThat(HeadDump.of(b.heads())).isEqualTo(expected);
        assertThat(log.objects().list("snapshots/" + TOPIC + "/0/").get()).anyMatch(k -> k.startsWith("snapshots/ingest/0/a/"))
                .anyMatch(k -> k.startsWith("snapshots/ingest/0/b/"));
    }

    private Ingester start(String zone, Duration snapshotInterval, PrometheusRegistry registry) {
        IngesterConfig config = new IngesterConfig(IngesterConfig.instanceId(zone, 0), log.bootstrap(), TOPIC, HeadConfig.DEFAULT,
                Duration.ofSeconds(15), snapshotInterval, "zone-" + zone);
        Ingester ingester = Ingester.start(config, log.objects(), zone.equals("a") ? served : new ServedPartitions(), "127.0.0.1:9095",
                ring, IngesterMetrics.register(registry), Time.SYSTEM);
        running.add(ingester);
        return ingester;
    }

    private void stop(Ingester ingester) {
        running.remove(ingester);
        ingester.close();
    }

    /** Records {@code [from, to)}: record k holds sample k of two series for tenant t1 or t2, at base + k s. */
    private void produce(int from, int to) {
        try {
            for (int batch = from; batch < to; batch += 20) {
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                List<String> tenants = new ArrayList<>();
                List<byte[]> batchValues = new ArrayList<>();
                for (int k = batch; k < Math.min(to, batch + 20); k++) {
                    String tenant = k % 3 == 0 ? "t2" : "t1";
                    byte[] value = TestRecords.record("m", base + k * 1000L, k, "x", "y");
                    sent.add(producer.send(new ProducerRecord<>(TOPIC, 0, tenant.getBytes(StandardCharsets.UTF_8), value)));
                    tenants.add(tenant);
                    batchValues.add(value);
                }
                for (int i = 0; i < sent.size(); i++) {
                    long offset = sent.get(i).get().offset();
                    values.put(offset, batchValues.get(i));
                    produced.put(offset, new String[] {tenants.get(i)});
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Heads built straight from the records before {@code offset}. */
    private Heads replay(long offset) {
        Heads heads = new Heads(HeadConfig.DEFAULT);
        RecordDecoder decoder = new RecordDecoder();
        produced.headMap(offset, false).forEach((o, tenant) -> {
            try {
                decoder.decode(values.get(o), heads.forTenant(tenant[0]));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return heads;
    }

    private void awaitApplied(Ingester ingester, int records) throws InterruptedException {
        await(() -> HeadDump.samples(ingester.heads()) >= records * 2L, ingester + " applied " + records + " records");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static Thread background(Runnable task) {
        Thread t = new Thread(task, "writer");
        t.start();
        return t;
    }

    private long committed(String zone) {
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, log.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, IngesterConfig.instanceId(zone, 0)), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            OffsetAndMetadata committed = reader.committed(Set.of(tp), WAIT).get(tp);
            return committed == null ? -1 : committed.offset();
        }
    }

    private static double metric(PrometheusRegistry registry, String name) {
        MetricSnapshot snapshot = registry.scrape().stream().filter(s -> s.getMetadata().getName().equals(name.replace("_total", "")))
                .findFirst().orElseThrow();
        double sum = 0;
        for (DataPointSnapshot d : snapshot.getDataPoints()) {
            sum += d instanceof CounterSnapshot.CounterDataPointSnapshot c ? c.getValue() : ((GaugeSnapshot.GaugeDataPointSnapshot) d).getValue();
        }
        return sum;
    }
}
