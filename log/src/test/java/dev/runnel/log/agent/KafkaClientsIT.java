package dev.runnel.log.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real kafka-clients producers, consumers and admin clients against real agents. */
class KafkaClientsIT extends AgentTest {

    private Admin admin(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(props);
    }

    @Test
    void adminCreatesListsDescribesAndDeletesTopics() throws Exception {
        try (Admin admin = admin(AgentCluster.bootstrap(agent))) {
            admin.createTopics(List.of(new NewTopic("orders", 3, (short) 1)
                    .configs(Map.of("retention.ms", "3600000")))).all().get();
            assertThat(admin.listTopics().names().get()).contains("orders");

            TopicDescription description = admin.describeTopics(List.of("orders")).allTopicNames().get().get("orders");
            assertThat(description.partitions()).hasSize(3);
            assertThat(description.topicId()).isNotNull();

            Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "orders")))
                    .all().get().values().iterator().next();
            assertThat(config.get("retention.ms").value()).isEqualTo("3600000");
            assertThat(config.get("cleanup.policy").value()).isEqualTo("delete");

            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("orders", 1, (short) 1))).all().get())
                    .hasCauseInstanceOf(TopicExistsException.class);

            admin.deleteTopics(List.of("orders")).all().get();
            assertThat(admin.listTopics().names().get()).doesNotContain("orders");
            assertThatThrownBy(() -> admin.deleteTopics(List.of("orders")).all().get())
                    .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void idempotentProducerRecordsComeBackInOrderWithContiguousOffsets(String compression) throws Exception {
        String topic = "codec-" + compression;
        createTopic(topic, 4);
        int count = 2_000;
        Map<Integer, List<Long>> offsetsByPartition = new HashMap<>();
        try (KafkaProducer<String, String> producer = AgentCluster.producer(AgentCluster.bootstrap(agent), compression)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, i % 4, "k" + i, "value-" + i)));
            }
            for (Future<RecordMetadata> f : sent) {
                RecordMetadata metadata = f.get();
                offsetsByPartition.computeIfAbsent(metadata.partition(), p -> new ArrayList<>()).add(metadata.offset());
            }
        }
        for (List<Long> offsets : offsetsByPartition.values()) {
            assertThat(offsets).hasSize(count / 4);
            for (int i = 0; i < offsets.size(); i++) {
                assertThat(offsets.get(i)).isEqualTo(i);
            }
        }

        List<ConsumerRecord<String, String>> records = readAll(AgentCluster.bootstrap(agent), topic, 4, count);
        Map<Integer, Long> expectedNext = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            long expected = expectedNext.getOrDefault(record.partition(), 0L);
            assertThat(record.offset()).isEqualTo(expected);
            expectedNext.put(record.partition(), expected + 1);
            int i = Integer.parseInt(record.key().substring(1));
            assertThat(record.partition()).isEqualTo(i % 4);
            assertThat(record.value()).isEqualTo("value-" + i);
        }
        assertThat(records).hasSize(count);
    }

    @Test
    void restartKeepsEveryRecord() throws Exception {
        createTopic("durable", 2);
        try (KafkaProducer<String, String> producer = AgentCluster.producer(AgentCluster.bootstrap(agent), "none")) {
            for (int i = 0; i < 500; i++) {
                producer.send(new ProducerRecord<>("durable", i % 2, "k" + i, "v" + i));
            }
            producer.flush();
        }
        cluster.restart();
        agent = cluster.startAgent();
        List<ConsumerRecord<String, String>> records = readAll(AgentCluster.bootstrap(agent), "durable", 2, 500);
        assertThat(records).hasSize(500);
        assertThat(records.stream().map(ConsumerRecord::value).distinct().count()).isEqualTo(500);
    }

    @Test
    void offsetsForTimesFindsTheFirstRecordAtOrAfterATimestamp() throws Exception {
        // The records carry 1970 timestamps: without retention.ms=-1 retention would rightly delete them.
        try (Admin admin = admin(AgentCluster.bootstrap(agent))) {
            admin.createTopics(List.of(new NewTopic("timed", 1, (short) 1).configs(Map.of("retention.ms", "-1")))).all().get();
        }
        try (KafkaProducer<String, String> producer = AgentCluster.producer(AgentCluster.bootstrap(agent), "none")) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>("timed", 0, 1_000_000L + i * 1000L, "k" + i, "v" + i)).get();
            }
        }
        try (KafkaConsumer<String, String> consumer = AgentCluster.consumer(AgentCluster.bootstrap(agent), null)) {
            TopicPartition tp = new TopicPartition("timed", 0);
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(Map.of(tp, 1_000_000L + 42_500L));
            assertThat(found.get(tp).offset()).isEqualTo(43);
            assertThat(found.get(tp).timestamp()).isEqualTo(1_043_000L);
            assertThat(consumer.beginningOffsets(List.of(tp)).get(tp)).isZero();
            assertThat(consumer.endOffsets(List.of(tp)).get(tp)).isEqualTo(100);
            assertThat(consumer.offsetsForTimes(Map.of(tp, 5_000_000L)).get(tp)).isNull();
        }
    }

    @Test
    void consumerGroupAcrossTwoAgentsReadsEveryRecordAndCommitsOffsets() throws Exception {
        KafkaAgent second = cluster.startAgent();
        createTopic("grouped", 6);
        int count = 3_000;
        try (KafkaProducer<String, String> producer = AgentCluster.producer(AgentCluster.bootstrap(agent), "lz4")) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>("grouped", "k" + i, "v" + i));
            }
            producer.flush();
        }
        Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (KafkaConsumer<String, String> first = AgentCluster.consumer(AgentCluster.bootstrap(agent), "readers");
             KafkaConsumer<String, String> other = AgentCluster.consumer(AgentCluster.bootstrap(second), "readers")) {
            first.subscribe(List.of("grouped"));
            other.subscribe(List.of("grouped"));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (seen.size() < count && System.nanoTime() < deadline) {
                for (KafkaConsumer<String, String> consumer : List.of(first, other)) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                        seen.add(record.value());
                    }
                    consumer.commitSync();
                }
            }
            assertThat(seen).hasSize(count);
            assertThat(first.assignment().size() + other.assignment().size()).isEqualTo(6);
            assertThat(first.assignment()).isNotEmpty();
            assertThat(other.assignment()).isNotEmpty();
        }
        try (Admin admin = admin(AgentCluster.bootstrap(second))) {
            long committed = admin.listConsumerGroupOffsets("readers").partitionsToOffsetAndMetadata().get()
                    .values().stream().mapToLong(o -> o.offset()).sum();
            assertThat(committed).isEqualTo(count);
        }
    }

    @Test
    void retentionDeletesExpiredRecordsAndAdvancesTheLogStart() throws Exception {
        KafkaAgent retaining = cluster.startAgent(AgentConfig.defaults().withPort(0).withProduce(AgentCluster.FAST_FLUSH)
                .withRetention(dev.runnel.log.retention.RetentionConfig.DEFAULT.withInterval(Duration.ofMillis(200))));
        String bootstrap = AgentCluster.bootstrap(retaining);
        try (Admin admin = admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic("short", 1, (short) 1).configs(Map.of("retention.ms", "60000")))).all().get();
        }
        long now = System.currentTimeMillis();
        try (KafkaProducer<String, String> producer = AgentCluster.producer(bootstrap, "none")) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("short", 0, now - 3_600_000L, "old" + i, "old")).get();
            }
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>("short", 0, now, "new" + i, "new")).get();
            }
        }
        TopicPartition tp = new TopicPartition("short", 0);
        try (KafkaConsumer<String, String> consumer = AgentCluster.consumer(bootstrap, null)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (consumer.beginningOffsets(List.of(tp)).get(tp) < 10 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(consumer.beginningOffsets(List.of(tp)).get(tp)).isEqualTo(10);
            assertThat(consumer.endOffsets(List.of(tp)).get(tp)).isEqualTo(15);
        }
        List<ConsumerRecord<String, String>> left = readAll(bootstrap, "short", 1, 5);
        assertThat(left).hasSize(5).allSatisfy(r -> assertThat(r.value()).isEqualTo("new"));
        assertThat(left.get(0).offset()).isEqualTo(10);
    }

    private void createTopic(String name, int partitions) throws ExecutionException, InterruptedException {
        try (Admin admin = admin(AgentCluster.bootstrap(agent))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
    }

    static List<ConsumerRecord<String, String>> readAll(String bootstrap, String topic, int partitions, int expected) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = AgentCluster.consumer(bootstrap, null)) {
            List<TopicPartition> assignment = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                assignment.add(new TopicPartition(topic, p));
            }
            consumer.assign(assignment);
            consumer.seekToBeginning(assignment);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // One more poll: anything beyond what was expected is a duplicate.
            consumer.poll(Duration.ofMillis(300)).forEach(records::add);
        }
        return records;
    }
}
