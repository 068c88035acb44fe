package dev.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of an agent process while an idempotent producer writes: after a restart on the same
 * stores, every acknowledged record is readable at the offset it was acknowledged with, offsets
 * are contiguous, and no record is there twice.
 */
class AgentKillIT {
    private static final String TOPIC = "crash";
    private static final int PARTITIONS = 4;

    @TempDir
    Path dir;

    /** With fsync off the data is only in the page cache when acknowledged: that must survive kill -9 too. */
    @ParameterizedTest(name = "-data.fsync={0}")
    @ValueSource(booleans = {true, false})
    void everyAcknowledgedRecordSurvivesKillNine(boolean fsync) throws Exception {
        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        try (RunnelProcess agent = new RunnelProcess(dir.resolve("data"),
                List.of("-agent.batch-timeout=50ms", "-data.fsync=" + fsync)).start()) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, agent.bootstrap()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
            }
            AtomicBoolean running = new AtomicBoolean(true);
            try (KafkaProducer<String, String> producer = producer(agent.bootstrap())) {
                Thread sender = new Thread(() -> {
                    for (int i = 0; running.get(); i++) {
                        String value = "record-" + i;
                        producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null, value), (metadata, error) -> {
                            if (error == null) {
                                acknowledged.put(value, ((long) metadata.partition() << 40) | metadata.offset());
                            }
                        });
                        if (i % 100 == 99) {
                            sleep(5);
                        }
                    }
                });
                sender.start();
                awaitAcknowledged(acknowledged, 2_000);
                int beforeKill = acknowledged.size();
                agent.kill();
                agent.start();
                awaitAcknowledged(acknowledged, beforeKill + 2_000);
                running.set(false);
                sender.join();
                producer.flush();
            }

            Map<String, Long> found = new HashMap<>();
            List<ConsumerRecord<String, String>> all = readAll(agent.bootstrap());
            Map<Integer, Long> nextOffset = new HashMap<>();
            for (ConsumerRecord<String, String> record : all) {
                assertThat(found.put(record.value(), ((long) record.partition() << 40) | record.offset()))
                        .as("duplicate of %s", record.value()).isNull();
                long expected = nextOffset.getOrDefault(record.partition(), 0L);
                assertThat(record.offset()).as("offsets of partition %d are contiguous", record.partition()).isEqualTo(expected);
                nextOffset.put(record.partition(), expected + 1);
            }
            assertThat(acknowledged.size()).isGreaterThan(4_000);
            acknowledged.forEach((value, position) ->
                    assertThat(found.get(value)).as("acknowledged %s at its acknowledged offset", value).isEqualTo(position));
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, "50");
        props.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "50");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private static List<ConsumerRecord<String, String>> readAll(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(TOPIC, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static void awaitAcknowledged(Map<String, Long> acknowledged, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (acknowledged.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + acknowledged.size() + " of " + count + " records acknowledged in 90 s");
            }
            Thread.sleep(20);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
