package dev.runnel.log.group;

import static dev.runnel.log.group.GroupFixture.CLIENT_HOST;
import static dev.runnel.log.group.GroupFixture.CLIENT_ID;
import static dev.runnel.log.group.GroupFixture.assignmentOf;
import static dev.runnel.log.group.GroupFixture.bytes;
import static dev.runnel.log.group.GroupFixture.error;
import static dev.runnel.log.group.GroupFixture.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.runnel.log.group.GroupFixture.Generation;
import dev.runnel.log.metadata.CommittedOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCoordinatorDescribeTest {
    private final GroupFixture fixture = new GroupFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    private List<DescribedGroup> describe(short version, String... groupIds) {
        DescribeGroupsRequestData request = new DescribeGroupsRequestData().setGroups(List.of(groupIds));
        DescribeGroupsResponseData response = fixture.coordinator.describeGroups(
                wire(request, version, DescribeGroupsRequestData::new), version);
        return wire(response, version, DescribeGroupsResponseData::new).groups();
    }

    private ListGroupsResponseData list(short version, List<String> states, List<String> types) {
        ListGroupsRequestData request = new ListGroupsRequestData().setStatesFilter(states).setTypesFilter(types);
        ListGroupsResponseData response = fixture.coordinator.listGroups(wire(request, version, ListGroupsRequestData::new), version);
        return wire(response, version, ListGroupsResponseData::new);
    }

    private void commitOffsetsOnly(String groupId) {
        fixture.store.commitOffsets(groupId, Map.of(new TopicPartition("samples", 0), new CommittedOffset(5, -1, "", 0)));
    }

    @Test
    void aStableGroupIsDescribedWithItsProtocolMembersMetadataAndAssignments() {
        Generation generation = fixture.stableGroup("stable", 2);
        for (short version = 0; version <= 6; version++) {
            DescribedGroup group = describe(version, "stable").get(0);
            assertThat(error(group.errorCode())).isEqualTo(Errors.NONE);
            assertThat(group.groupState()).isEqualTo("Stable");
            assertThat(group.protocolType()).isEqualTo("consumer");
            assertThat(group.protocolData()).isEqualTo("range");
            assertThat(group.members())
                    .extracting(DescribedGroupMember::memberId, DescribedGroupMember::clientId, DescribedGroupMember::clientHost)
                    .containsExactlyInAnyOrder(
                            tuple(generation.members().get(0), CLIENT_ID, CLIENT_HOST),
                            tuple(generation.members().get(1), CLIENT_ID, CLIENT_HOST));
            assertThat(group.members()).allSatisfy(m -> {
                assertThat(m.memberMetadata()).isEqualTo(bytes("range:" + m.memberId()));
                assertThat(m.memberAssignment()).isEqualTo(assignmentOf(m.memberId()));
            });
        }
    }

    @Test
    void aRebalancingGroupIsDescribedWithoutMetadata() {
        Generation generation = fixture.stableGroup("busy", 2);
        fixture.rejoin("busy", generation.leader());
        DescribedGroup group = describe((short) 6, "busy").get(0);
        assertThat(group.groupState()).isEqualTo("PreparingRebalance");
        assertThat(group.protocolType()).isEqualTo("consumer");
        assertThat(group.protocolData()).isEmpty();
        assertThat(group.members()).hasSize(2).allSatisfy(m -> assertThat(m.memberMetadata()).isEmpty());
    }

    @Test
    void unknownGroupsAreDeadOrNotFoundAndGroupsWithOnlyOffsetsAreEmpty() {
        commitOffsetsOnly("offsets-only");
        DescribedGroup v5 = describe((short) 5, "missing").get(0);
        assertThat(error(v5.errorCode())).isEqualTo(Errors.NONE);
        assertThat(v5.groupState()).isEqualTo("Dead");

        List<DescribedGroup> v6 = describe((short) 6, "missing", "offsets-only", "");
        assertThat(v6).extracting(DescribedGroup::groupId, g -> error(g.errorCode()), DescribedGroup::groupState)
                .containsExactly(
                        tuple("missing", Errors.GROUP_ID_NOT_FOUND, "Dead"),
                        tuple("offsets-only", Errors.NONE, "Empty"),
                        tuple("", Errors.INVALID_GROUP_ID, ""));
        assertThat(v6.get(0).errorMessage()).contains("missing");

        fixture.store.failing(true);
        assertThat(error(describe((short) 6, "offsets-only").get(0).errorCode())).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
    }

    @Test
    void listingShowsGroupsInMemoryAndGroupsWithOnlyOffsets() {
        fixture.stableGroup("live", 1);
        fixture.memberIdRequired("waiting");
        commitOffsetsOnly("offsets-only");
        commitOffsetsOnly("live");

        ListGroupsResponseData all = list((short) 5, List.of(), List.of());
        assertThat(error(all.errorCode())).isEqualTo(Errors.NONE);
        assertThat(all.groups())
                .extracting(ListedGroup::groupId, ListedGroup::groupState, ListedGroup::protocolType, ListedGroup::groupType)
                .containsExactly(
                        tuple("live", "Stable", "consumer", "classic"),
                        tuple("offsets-only", "Empty", "", "classic"),
                        tuple("waiting", "Empty", "", "classic"));

        assertThat(list((short) 5, List.of("stable"), List.of()).groups()).extracting(ListedGroup::groupId).containsExactly("live");
        assertThat(list((short) 4, List.of("Empty"), List.of()).groups()).extracting(ListedGroup::groupId)
                .containsExactly("offsets-only", "waiting");
        assertThat(list((short) 5, List.of(), List.of("consumer")).groups()).isEmpty();
        assertThat(list((short) 5, List.of(), List.of("Classic")).groups()).hasSize(3);
        assertThat(list((short) 0, List.of(), List.of()).groups()).extracting(ListedGroup::groupId)
                .containsExactly("live", "offsets-only", "waiting");

        fixture.store.failing(true);
        assertThat(error(list((short) 5, List.of(), List.of()).errorCode())).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
    }
}
