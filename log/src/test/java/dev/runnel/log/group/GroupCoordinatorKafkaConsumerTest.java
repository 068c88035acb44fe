package dev.runnel.log.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real kafka-clients consumers ({@code group.protocol=classic}, subscribe()) against the coordinator. */
class GroupCoordinatorKafkaConsumerTest {
    private static final String GROUP = "consumers";
    private static final String TOPIC = "samples";
    private static final int PARTITIONS = 4;

    private final InMemoryMetadataStore store = new InMemoryMetadataStore();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final GroupCoordinator coordinator = new GroupCoordinator(
            store, Time.SYSTEM, scheduler, GroupConfig.DEFAULT.withInitialRebalanceDelayMs(200));
    private KafkaWireStub stub;

    @AfterEach
    void close() throws Exception {
        if (stub != null) {
            stub.close();
        }
        coordinator.close();
        scheduler.shutdownNow();
    }

    private KafkaConsumer<byte[], byte[]> consumer(String clientId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stub.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500");
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(TOPIC));
        return consumer;
    }

    /** Polls every consumer in turn (each from this thread) until {@code done} holds. */
    @SafeVarargs
    private static void pollUntil(BooleanSupplier done, KafkaConsumer<byte[], byte[]>... consumers) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition reached in time").isLessThan(deadline);
            for (KafkaConsumer<byte[], byte[]> consumer : consumers) {
                consumer.poll(Duration.ofMillis(50));
            }
        }
    }

    private DescribedGroup describe() {
        return coordinator.describeGroups(new DescribeGroupsRequestData().setGroups(List.of(GROUP)), (short) 5).groups().get(0);
    }

    /** What an Admin client sees of the Stable group: listing, description and committed offsets. */
    private void checkWithAdmin(Set<TopicPartition> all, Map<TopicPartition, OffsetAndMetadata> firstOffsets,
            Map<TopicPartition, OffsetAndMetadata> secondOffsets) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stub.bootstrapServers()))) {
            assertThat(admin.listGroups().all().get()).singleElement().satisfies(listing -> {
                assertThat(listing.groupId()).isEqualTo(GROUP);
                assertThat(listing.type()).contains(GroupType.CLASSIC);
                assertThat(listing.protocol()).isEqualTo("consumer");
                assertThat(listing.groupState()).contains(GroupState.STABLE);
            });

            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP);
            assertThat(description.groupState()).isEqualTo(GroupState.STABLE);
            assertThat(description.partitionAssignor()).isEqualTo("range");
            assertThat(description.members()).hasSize(2);
            Set<TopicPartition> described = new HashSet<>();
            description.members().forEach(m -> described.addAll(m.assignment().topicPartitions()));
            assertThat(described).isEqualTo(all);

            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetAndMetadata> expected = new HashMap<>(firstOffsets);
            expected.putAll(secondOffsets);
            assertThat(committed).hasSize(PARTITIONS);
            expected.forEach((tp, offset) -> assertThat(committed.get(tp).offset()).isEqualTo(offset.offset()));
        }
    }

    @Test
    @Timeout(90)
    void consumersFormAGroupSplitThePartitionsCommitAndTakeOverWhenOneLeaves() throws Exception {
        store.createTopic(TOPIC, PARTITIONS, Map.of());
        stub = new KafkaWireStub(coordinator, store);

        try (KafkaConsumer<byte[], byte[]> first = consumer("first")) {
            KafkaConsumer<byte[], byte[]> second = consumer("second");
            pollUntil(() -> first.assignment().size() == 2 && second.assignment().size() == 2, first, second);
            Set<TopicPartition> all = new HashSet<>(first.assignment());
            all.addAll(second.assignment());
            assertThat(all).hasSize(PARTITIONS);

            DescribedGroup group = describe();
            assertThat(group.groupState()).isEqualTo("Stable");
            assertThat(group.protocolType()).isEqualTo("consumer");
            assertThat(group.members()).extracting(DescribedGroupMember::clientId).containsExactlyInAnyOrder("first", "second");

            Map<TopicPartition, OffsetAndMetadata> firstOffsets = new HashMap<>();
            first.assignment().forEach(tp -> firstOffsets.put(tp, new OffsetAndMetadata(7, "from-first")));
            first.commitSync(firstOffsets);
            Map<TopicPartition, OffsetAndMetadata> secondOffsets = new HashMap<>();
            second.assignment().forEach(tp -> secondOffsets.put(tp, new OffsetAndMetadata(9, "from-second")));
            second.commitSync(secondOffsets);

            checkWithAdmin(all, firstOffsets, secondOffsets);

            second.close(); // leaves the group
            pollUntil(() -> first.assignment().size() == PARTITIONS, first);
            assertThat(describe().members()).extracting(DescribedGroupMember::clientId).containsExactly("first");

            Map<TopicPartition, OffsetAndMetadata> committed = first.committed(all);
            firstOffsets.forEach((tp, offset) -> assertThat(committed.get(tp).offset()).isEqualTo(7));
            secondOffsets.forEach((tp, offset) -> {
                assertThat(committed.get(tp).offset()).isEqualTo(9);
                assertThat(committed.get(tp).metadata()).isEqualTo("from-second");
            });
            // After the takeover the consumer resumes from the committed positions.
            for (TopicPartition tp : all) {
                assertThat(first.position(tp)).isEqualTo(committed.get(tp).offset());
            }
        }
        assertThat(describe().groupState()).isEqualTo("Empty");
        // The newest versions of the membership and admin APIs were used...
        for (ApiKeys api : List.of(ApiKeys.JOIN_GROUP, ApiKeys.SYNC_GROUP, ApiKeys.HEARTBEAT, ApiKeys.LEAVE_GROUP,
                ApiKeys.DESCRIBE_GROUPS, ApiKeys.LIST_GROUPS)) {
            assertThat(stub.versionsSeen().get(api)).as(api.name).containsExactly(GroupCoordinator.maxVersion(api));
        }
        // ...but the classic consumer and the admin client name topics, so they stop at version 9
        // of the offset APIs;
        // version 10 (topic ids) is covered by GroupCoordinatorOffsetsTest.
        assertThat(stub.versionsSeen().get(ApiKeys.OFFSET_COMMIT)).containsExactly((short) 9);
        assertThat(stub.versionsSeen().get(ApiKeys.OFFSET_FETCH)).containsExactly((short) 9);
    }
}
