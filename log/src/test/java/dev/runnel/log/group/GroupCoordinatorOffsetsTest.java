package dev.runnel.log.group;

import static dev.runnel.log.group.GroupFixture.error;
import static dev.runnel.log.group.GroupFixture.wire;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.log.group.GroupFixture.Generation;
import dev.runnel.log.metadata.Topic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCoordinatorOffsetsTest {
    private static final String GROUP = "offsets-group";
    private static final short COMMIT_V = 10;
    private static final short FETCH_V = 10;

    private final GroupFixture fixture = new GroupFixture();
    private final Topic samples = fixture.store.createTopic("samples", 3, Map.of());
    private final Topic alerts = fixture.store.createTopic("alerts", 1, Map.of());

    @AfterEach
    void close() {
        fixture.close();
    }

    // ---- helpers: requests are built with both topic names and ids; the wire keeps what the version carries

    private static OffsetCommitRequestTopic commitTopic(Topic topic, Map<Integer, Long> offsets) {
        OffsetCommitRequestTopic result = new OffsetCommitRequestTopic().setName(topic.name()).setTopicId(topic.id());
        offsets.forEach((partition, offset) -> result.partitions().add(new OffsetCommitRequestPartition()
                .setPartitionIndex(partition)
                .setCommittedOffset(offset)
                .setCommittedLeaderEpoch(4)
                .setCommittedMetadata("meta-" + offset)));
        return result;
    }

    private static OffsetCommitRequestData commitRequest(String groupId, int generation, String memberId,
            OffsetCommitRequestTopic... topics) {
        return new OffsetCommitRequestData()
                .setGroupId(groupId)
                .setGenerationIdOrMemberEpoch(generation)
                .setMemberId(memberId)
                .setTopics(new ArrayList<>(List.of(topics)));
    }

    private OffsetCommitResponseData commit(OffsetCommitRequestData request, short version) {
        OffsetCommitResponseData response = fixture.coordinator.commitOffsets(
                wire(request, version, OffsetCommitRequestData::new), version);
        return wire(response, version, OffsetCommitResponseData::new);
    }

    /** Every partition's error of a commit, in response order. */
    private static List<Errors> errors(OffsetCommitResponseData response) {
        List<Errors> result = new ArrayList<>();
        response.topics().forEach(t -> t.partitions().forEach(p -> result.add(error(p.errorCode()))));
        return result;
    }

    private Errors commitOne(int generation, String memberId) {
        return errors(commit(commitRequest(GROUP, generation, memberId, commitTopic(samples, Map.of(0, 42L))), COMMIT_V)).get(0);
    }

    /** Fetches {@code partitions} of {@code topic} (or everything if topic is null) for one group. */
    private static OffsetFetchRequestData fetchRequest(short version, String groupId, Topic topic, Integer... partitions) {
        if (version >= 8) {
            List<OffsetFetchRequestTopics> topics = topic == null ? null : new ArrayList<>(List.of(new OffsetFetchRequestTopics()
                    .setName(topic.name()).setTopicId(topic.id()).setPartitionIndexes(List.of(partitions))));
            return new OffsetFetchRequestData().setGroups(new ArrayList<>(List.of(
                    new OffsetFetchRequestGroup().setGroupId(groupId).setTopics(topics))));
        }
        List<OffsetFetchRequestTopic> topics = topic == null ? null : new ArrayList<>(List.of(
                new OffsetFetchRequestTopic().setName(topic.name()).setPartitionIndexes(List.of(partitions))));
        return new OffsetFetchRequestData().setGroupId(groupId).setTopics(topics);
    }

    private OffsetFetchResponseData fetch(OffsetFetchRequestData request, short version) {
        OffsetFetchResponseData response = fixture.coordinator.fetchOffsets(wire(request, version, OffsetFetchRequestData::new), version);
        return wire(response, version, OffsetFetchResponseData::new);
    }

    /** A fetched partition in the version 8+ shape, whatever the version. */
    private record Fetched(String topic, Uuid topicId, int partition, long offset, int leaderEpoch, String metadata, Errors error) {
    }

    /** The partitions of a single-group answer, and its group-level error. */
    private record FetchedGroup(Errors error, List<Fetched> partitions) {
        Map<Integer, Long> offsets() {
            Map<Integer, Long> result = new LinkedHashMap<>();
            partitions.forEach(p -> result.put(p.partition(), p.offset()));
            return result;
        }
    }

    private static FetchedGroup single(OffsetFetchResponseData response, short version) {
        List<Fetched> partitions = new ArrayList<>();
        if (version >= 8) {
            assertThat(response.groups()).hasSize(1);
            OffsetFetchResponseGroup group = response.groups().get(0);
            for (OffsetFetchResponseTopics t : group.topics()) {
                for (OffsetFetchResponsePartitions p : t.partitions()) {
                    partitions.add(new Fetched(t.name(), t.topicId(), p.partitionIndex(), p.committedOffset(),
                            p.committedLeaderEpoch(), p.metadata(), error(p.errorCode())));
                }
            }
            return new FetchedGroup(error(group.errorCode()), partitions);
        }
        response.topics().forEach(t -> t.partitions().forEach(p -> partitions.add(new Fetched(t.name(), null,
                p.partitionIndex(), p.committedOffset(), p.committedLeaderEpoch(), p.metadata(), error(p.errorCode())))));
        return new FetchedGroup(error(response.errorCode()), partitions);
    }

    // ---- tests

    @Test
    void offsetsCommittedAtEveryVersionFetchBackAtEveryVersion() {
        for (short commitVersion = 2; commitVersion <= 10; commitVersion++) {
            long base = commitVersion * 10L;
            OffsetCommitResponseData committed = commit(commitRequest(GROUP, -1, "",
                    commitTopic(samples, Map.of(0, base, 1, base + 1))), commitVersion);
            assertThat(errors(committed)).containsOnly(Errors.NONE);
            if (commitVersion >= 10) {
                assertThat(committed.topics().get(0).topicId()).isEqualTo(samples.id());
            } else {
                assertThat(committed.topics().get(0).name()).isEqualTo("samples");
            }

            for (short fetchVersion = 1; fetchVersion <= 10; fetchVersion++) {
                FetchedGroup fetched = single(fetch(fetchRequest(fetchVersion, GROUP, samples, 0, 1, 2), fetchVersion), fetchVersion);
                String at = "commit v" + commitVersion + ", fetch v" + fetchVersion;
                assertThat(fetched.error()).as(at).isEqualTo(Errors.NONE);
                assertThat(fetched.offsets()).as(at).containsExactly(Map.entry(0, base), Map.entry(1, base + 1), Map.entry(2, -1L));
                assertThat(fetched.partitions()).as(at).allSatisfy(p -> assertThat(p.error()).isEqualTo(Errors.NONE));
                assertThat(fetched.partitions().get(0).metadata()).as(at).isEqualTo("meta-" + base);
                assertThat(fetched.partitions().get(2).metadata()).as(at).isEmpty();
                if (fetchVersion >= 5) {
                    assertThat(fetched.partitions().get(0).leaderEpoch()).as(at).isEqualTo(commitVersion >= 6 ? 4 : -1);
                    assertThat(fetched.partitions().get(2).leaderEpoch()).as(at).isEqualTo(-1);
                }
                if (fetchVersion >= 10) {
                    assertThat(fetched.partitions()).as(at).allSatisfy(p -> assertThat(p.topicId()).isEqualTo(samples.id()));
                } else {
                    assertThat(fetched.partitions()).as(at).allSatisfy(p -> assertThat(p.topic()).isEqualTo("samples"));
                }
            }
        }
        assertThat(fixture.store.committedOffsets(GROUP).get(new org.apache.kafka.common.TopicPartition("samples", 0)))
                .satisfies(c -> assertThat(c.commitTimestamp()).isEqualTo(fixture.time.milliseconds()));
    }

    @Test
    void fetchingWithoutTopicsReturnsEveryCommittedOffset() {
        commit(commitRequest(GROUP, -1, "", commitTopic(samples, Map.of(2, 7L, 0, 5L)), commitTopic(alerts, Map.of(0, 9L))), COMMIT_V);

        for (short version : new short[] {2, 7, 8, 9, 10}) {
            FetchedGroup fetched = single(fetch(fetchRequest(version, GROUP, null), version), version);
            assertThat(fetched.partitions()).as("v" + version)
                    .extracting(Fetched::partition, Fetched::offset)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(0, 9L),
                            org.assertj.core.groups.Tuple.tuple(0, 5L),
                            org.assertj.core.groups.Tuple.tuple(2, 7L));
            if (version >= 10) {
                assertThat(fetched.partitions()).extracting(Fetched::topicId).containsExactly(alerts.id(), samples.id(), samples.id());
            } else {
                assertThat(fetched.partitions()).extracting(Fetched::topic).containsExactly("alerts", "samples", "samples");
            }
        }
        assertThat(single(fetch(fetchRequest(FETCH_V, "never-committed", null), FETCH_V), FETCH_V).partitions()).isEmpty();
    }

    @Test
    void version8FetchesSeveralGroupsAtOnce() {
        commit(commitRequest("g1", -1, "", commitTopic(samples, Map.of(0, 1L))), COMMIT_V);
        commit(commitRequest("g2", -1, "", commitTopic(samples, Map.of(0, 2L))), COMMIT_V);
        OffsetFetchRequestData request = new OffsetFetchRequestData();
        for (String group : List.of("g1", "g2", "g3")) {
            request.groups().add(new OffsetFetchRequestGroup().setGroupId(group).setTopics(List.of(
                    new OffsetFetchRequestTopics().setName("samples").setPartitionIndexes(List.of(0)))));
        }
        OffsetFetchResponseData response = fetch(request, (short) 8);
        assertThat(response.groups()).extracting(OffsetFetchResponseGroup::groupId).containsExactly("g1", "g2", "g3");
        assertThat(response.groups()).extracting(g -> g.topics().get(0).partitions().get(0).committedOffset())
                .containsExactly(1L, 2L, -1L);
    }

    @Test
    void membersCommitWithTheirGenerationOnly() {
        Generation generation = fixture.stableGroup(GROUP, 2);
        assertThat(commitOne(generation.generationId(), generation.leader())).isEqualTo(Errors.NONE);
        assertThat(commitOne(generation.generationId(), generation.followers().get(0))).isEqualTo(Errors.NONE);
        assertThat(commitOne(generation.generationId() + 1, generation.leader())).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(commitOne(generation.generationId(), "stranger")).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(commitOne(-1, "")).as("a standalone commit to an active group").isEqualTo(Errors.UNKNOWN_MEMBER_ID);

        // A new member forces a rebalance; until it is synced the old generation is still current.
        String newcomer = fixture.memberIdRequired(GROUP);
        CompletableFuture<JoinGroupResponseData> newcomerJoin = fixture.rejoin(GROUP, newcomer);
        assertThat(commitOne(generation.generationId(), generation.leader())).isEqualTo(Errors.NONE);
        List<CompletableFuture<JoinGroupResponseData>> joins = List.of(newcomerJoin,
                fixture.rejoin(GROUP, generation.leader()), fixture.rejoin(GROUP, generation.followers().get(0)));
        Generation next = GroupFixture.generationOf(joins);
        assertThat(commitOne(next.generationId(), newcomer)).as("before the assignment").isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        assertThat(commitOne(generation.generationId(), generation.leader())).isEqualTo(Errors.ILLEGAL_GENERATION);
        fixture.syncAll(GROUP, next);
        assertThat(commitOne(next.generationId(), newcomer)).isEqualTo(Errors.NONE);

        // Once everybody has left, standalone commits are accepted again; the group lives on in its offsets.
        fixture.leave(GROUP, (short) 5, next.members().toArray(String[]::new));
        assertThat(fixture.describe(GROUP).groupState()).isEqualTo("Empty");
        assertThat(commitOne(-1, "")).isEqualTo(Errors.NONE);
        assertThat(commitOne(next.generationId(), newcomer)).isEqualTo(Errors.ILLEGAL_GENERATION);
    }

    @Test
    void standaloneCommitsToUnknownGroupsAreAccepted() {
        assertThat(commitOne(-1, "")).isEqualTo(Errors.NONE);
        assertThat(fixture.store.groupIds()).containsExactly(GROUP);
        // A member of a group this agent does not know (it restarted) is told to rejoin.
        assertThat(errors(commit(commitRequest("forgotten", 5, "client-1", commitTopic(samples, Map.of(0, 1L))), COMMIT_V)))
                .containsExactly(Errors.ILLEGAL_GENERATION);
        assertThat(errors(commit(commitRequest("", -1, "", commitTopic(samples, Map.of(0, 1L))), COMMIT_V)))
                .containsExactly(Errors.INVALID_GROUP_ID);
    }

    @Test
    void unknownTopicsAndPartitionsAreRejectedAndTheRestCommitted() {
        OffsetCommitRequestTopic unknownName = new OffsetCommitRequestTopic().setName("nope").setTopicId(Uuid.randomUuid())
                .setPartitions(List.of(new OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(1)));
        OffsetCommitRequestTopic mixed = commitTopic(samples, new LinkedHashMap<>(Map.of(1, 11L)));
        mixed.partitions().add(new OffsetCommitRequestPartition().setPartitionIndex(3).setCommittedOffset(13));

        assertThat(errors(commit(commitRequest(GROUP, -1, "", unknownName, mixed), (short) 9)))
                .containsExactly(Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.NONE, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(errors(commit(commitRequest(GROUP, -1, "", unknownName, mixed), (short) 10)))
                .containsExactly(Errors.UNKNOWN_TOPIC_ID, Errors.NONE, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(fixture.store.committedOffsets(GROUP)).hasSize(1);

        // Fetching an unknown topic id answers UNKNOWN_TOPIC_ID; an unknown name just has no offsets.
        OffsetFetchRequestData byId = new OffsetFetchRequestData().setGroups(List.of(new OffsetFetchRequestGroup()
                .setGroupId(GROUP).setTopics(List.of(new OffsetFetchRequestTopics().setTopicId(Uuid.randomUuid())
                        .setPartitionIndexes(List.of(0))))));
        assertThat(single(fetch(byId, (short) 10), (short) 10).partitions()).singleElement().satisfies(p -> {
            assertThat(p.error()).isEqualTo(Errors.UNKNOWN_TOPIC_ID);
            assertThat(p.offset()).isEqualTo(-1);
        });
        Topic unknown = new Topic("nope", Uuid.randomUuid(), 1, Map.of());
        assertThat(single(fetch(fetchRequest((short) 9, GROUP, unknown, 0), (short) 9), (short) 9).partitions())
                .singleElement().satisfies(p -> {
                    assertThat(p.error()).isEqualTo(Errors.NONE);
                    assertThat(p.offset()).isEqualTo(-1);
                });
    }

    @Test
    void tooLongMetadataIsRejected() {
        OffsetCommitRequestTopic topic = commitTopic(samples, Map.of(0, 1L));
        topic.partitions().get(0).setCommittedMetadata("x".repeat(GroupConfig.DEFAULT.maxMetadataBytes() + 1));
        assertThat(errors(commit(commitRequest(GROUP, -1, "", topic), COMMIT_V))).containsExactly(Errors.OFFSET_METADATA_TOO_LARGE);
        topic.partitions().get(0).setCommittedMetadata(null);
        assertThat(errors(commit(commitRequest(GROUP, -1, "", topic), COMMIT_V))).containsExactly(Errors.NONE);
        assertThat(single(fetch(fetchRequest(FETCH_V, GROUP, samples, 0), FETCH_V), FETCH_V).partitions().get(0).metadata()).isEmpty();
    }

    @Test
    void aFailingStoreAnswersCoordinatorNotAvailable() {
        fixture.store.failing(true);
        assertThat(errors(commit(commitRequest(GROUP, -1, "", commitTopic(samples, Map.of(0, 1L, 1, 2L))), COMMIT_V)))
                .containsOnly(Errors.COORDINATOR_NOT_AVAILABLE);

        for (short version : new short[] {2, 7, 8, 10}) {
            FetchedGroup fetched = single(fetch(fetchRequest(version, GROUP, samples, 0), version), version);
            assertThat(fetched.error()).as("v" + version).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
            assertThat(fetched.partitions()).isEmpty();
        }
        // Version 1 has no group-level error: the partitions carry it.
        FetchedGroup v1 = single(fetch(fetchRequest((short) 1, GROUP, samples, 0, 1), (short) 1), (short) 1);
        assertThat(v1.partitions()).extracting(Fetched::error).containsExactly(Errors.COORDINATOR_NOT_AVAILABLE, Errors.COORDINATOR_NOT_AVAILABLE);

        fixture.store.failing(false);
        assertThat(errors(commit(commitRequest(GROUP, -1, "", commitTopic(samples, Map.of(0, 1L))), COMMIT_V)))
                .containsOnly(Errors.NONE);
    }

    @Test
    void aStoreFailureOnTheWriteItselfFailsOnlyTheValidPartitions() {
        OffsetCommitRequestTopic topic = commitTopic(samples, new LinkedHashMap<>(Map.of(0, 1L)));
        topic.partitions().add(new OffsetCommitRequestPartition().setPartitionIndex(9).setCommittedOffset(1));
        fixture.store.failingWrites(true);
        assertThat(errors(commit(commitRequest(GROUP, -1, "", topic), COMMIT_V)))
                .containsExactly(Errors.COORDINATOR_NOT_AVAILABLE, Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }
}
