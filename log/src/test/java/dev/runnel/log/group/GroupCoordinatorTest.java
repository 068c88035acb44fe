package dev.runnel.log.group;

import static dev.runnel.log.group.GroupFixture.DELAY_MS;
import static dev.runnel.log.group.GroupFixture.JOIN_V;
import static dev.runnel.log.group.GroupFixture.REBALANCE_MS;
import static dev.runnel.log.group.GroupFixture.SESSION_MS;
import static dev.runnel.log.group.GroupFixture.assignmentOf;
import static dev.runnel.log.group.GroupFixture.bytes;
import static dev.runnel.log.group.GroupFixture.error;
import static dev.runnel.log.group.GroupFixture.joinRequest;
import static dev.runnel.log.group.GroupFixture.protocols;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.log.group.GroupFixture.Generation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCoordinatorTest {
    private static final String GROUP = "metrics-ingest";

    private final GroupFixture fixture = new GroupFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void singleMemberGetsAnIdJoinsLeadsSyncsAndBecomesStable() {
        String memberId = fixture.memberIdRequired(GROUP);
        assertThat(fixture.describe(GROUP).groupState()).isEqualTo("Empty");

        CompletableFuture<JoinGroupResponseData> join = fixture.rejoin(GROUP, memberId);
        assertThat(join).isNotDone();
        assertThat(fixture.describe(GROUP).groupState()).isEqualTo("PreparingRebalance");

        fixture.scheduler.advance(DELAY_MS);
        JoinGroupResponseData joined = join.join();
        assertThat(error(joined.errorCode())).isEqualTo(Errors.NONE);
        assertThat(joined.generationId()).isEqualTo(1);
        assertThat(joined.memberId()).isEqualTo(memberId);
        assertThat(joined.leader()).isEqualTo(memberId);
        assertThat(joined.protocolType()).isEqualTo("consumer");
        assertThat(joined.protocolName()).isEqualTo("range");
        assertThat(joined.skipAssignment()).isFalse();
        assertThat(joined.members()).singleElement().satisfies(m -> {
            assertThat(m.memberId()).isEqualTo(memberId);
            assertThat(m.metadata()).isEqualTo(bytes("range:" + memberId));
        });
        assertThat(fixture.describe(GROUP).groupState()).isEqualTo("CompletingRebalance");
        assertThat(fixture.heartbeat(GROUP, memberId, 1)).isEqualTo(Errors.NONE);

        SyncGroupResponseData synced = fixture.sync(GROUP, memberId, 1, Map.of(memberId, assignmentOf(memberId))).join();
        assertThat(error(synced.errorCode())).isEqualTo(Errors.NONE);
        assertThat(synced.assignment()).isEqualTo(assignmentOf(memberId));
        assertThat(synced.protocolType()).isEqualTo("consumer");
        assertThat(synced.protocolName()).isEqualTo("range");
        assertThat(fixture.describe(GROUP).groupState()).isEqualTo("Stable");
        assertThat(fixture.heartbeat(GROUP, memberId, 1)).isEqualTo(Errors.NONE);
    }

    @Test
    void twoMembersJoiningTogetherShareAGenerationAndTheLeaderSeesBoth() {
        String first = fixture.memberIdRequired(GROUP);
        String second = fixture.memberIdRequired(GROUP);
        CompletableFuture<JoinGroupResponseData> firstJoin = fixture.rejoin(GROUP, first);
        fixture.scheduler.advance(DELAY_MS / 2);
        CompletableFuture<JoinGroupResponseData> secondJoin = fixture.rejoin(GROUP, second);
        fixture.scheduler.advance(DELAY_MS / 2);
        assertThat(firstJoin).as("a member joined during the initial delay: it is extended").isNotDone();

        fixture.scheduler.advance(DELAY_MS);
        Generation generation = GroupFixture.generationOf(List.of(firstJoin, secondJoin));
        assertThat(generation.generationId()).isEqualTo(1);
        assertThat(generation.leader()).isEqualTo(first);
        assertThat(generation.members()).containsExactly(first, second);
        assertThat(firstJoin.join().members()).extracting(JoinGroupResponseMember::metadata)
                .containsExactly(bytes("range:" + first), bytes("range:" + second));

        // The follower's SyncGroup waits for the leader's.
        CompletableFuture<SyncGroupResponseData> followerSync = fixture.sync(GROUP, second, 1, Map.of());
        assertThat(followerSync).isNotDone();
        SyncGroupResponseData leaderSync = fixture.sync(GROUP, first, 1,
                Map.of(first, assignmentOf(first), second, assignmentOf(second))).join();
        assertThat(leaderSync.assignment()).isEqualTo(assignmentOf(first));
        assertThat(followerSync).isDone();
        assertThat(followerSync.join().assignment()).isEqualTo(assignmentOf(second));
        assertThat(fixture.describe(GROUP).groupState()).isEqualTo("Stable");
    }

    @Test
    void aThirdMemberTriggersARebalanceThatCompletesWhenAllHaveRejoined() {
        Generation first = fixture.stableGroup(GROUP, 2);
        String newcomer = fixture.memberIdRequired(GROUP);
        assertThat(fixture.describe(GROUP).groupState()).as("a pending id alone starts nothing").isEqualTo("Stable");

        CompletableFuture<JoinGroupResponseData> newcomerJoin = fixture.rejoin(GROUP, newcomer);
        assertThat(fixture.describe(GROUP).groupState()).isEqualTo("PreparingRebalance");
        for (String member : first.members()) {
            assertThat(fixture.heartbeat(GROUP, member, first.generationId())).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        }
        assertThat(error(fixture.sync(GROUP, first.leader(), first.generationId(), Map.of()).join().errorCode()))
                .isEqualTo(Errors.REBALANCE_IN_PROGRESS);

        CompletableFuture<JoinGroupResponseData> leaderJoin = fixture.rejoin(GROUP, first.leader());
        assertThat(newcomerJoin).isNotDone();
        CompletableFuture<JoinGroupResponseData> followerJoin = fixture.rejoin(GROUP, first.followers().get(0));

        // No timer needed: the last member to rejoin completes the join phase.
        Generation second = GroupFixture.generationOf(List.of(leaderJoin, followerJoin, newcomerJoin));
        assertThat(second.generationId()).isEqualTo(first.generationId() + 1);
        assertThat(second.leader()).isEqualTo(first.leader());
        assertThat(second.members()).containsExactlyInAnyOrder(first.leader(), first.followers().get(0), newcomer);
        assertThat(fixture.heartbeat(GROUP, newcomer, first.generationId())).isEqualTo(Errors.ILLEGAL_GENERATION);

        fixture.syncAll(GROUP, second);
        assertThat(fixture.heartbeat(GROUP, newcomer, second.generationId())).isEqualTo(Errors.NONE);
    }

    @Test
    void aMemberThatDoesNotRejoinWithinTheRebalanceTimeoutIsRemoved() {
        Generation first = fixture.stableGroup(GROUP, 2);
        String leader = first.leader();
        String laggard = first.followers().get(0);
        CompletableFuture<JoinGroupResponseData> leaderJoin = fixture.rejoin(GROUP, leader);

        // The laggard heartbeats (so its session stays alive) but never rejoins.
        for (int i = 0; i < REBALANCE_MS / 3_000 - 1; i++) {
            assertThat(fixture.heartbeat(GROUP, laggard, first.generationId())).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
            fixture.scheduler.advance(3_000);
        }
        assertThat(leaderJoin).isNotDone();
        fixture.scheduler.advance(3_000);

        Generation second = GroupFixture.generationOf(List.of(leaderJoin));
        assertThat(second.members()).containsExactly(leader);
        assertThat(fixture.heartbeat(GROUP, laggard, first.generationId())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        // Its late rejoin is refused; the client then joins afresh with an empty member id.
        assertThat(error(fixture.rejoin(GROUP, laggard).join().errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void aMemberWhoseSessionExpiresIsRemovedAndTheOthersRebalance() {
        Generation first = fixture.stableGroup(GROUP, 2);
        String survivor = first.leader();
        String silent = first.followers().get(0);

        for (int i = 0; i < 3; i++) {
            fixture.scheduler.advance(SESSION_MS / 3);
            assertThat(fixture.heartbeat(GROUP, survivor, first.generationId())).isEqualTo(Errors.NONE);
        }
        fixture.scheduler.advance(SESSION_MS / 3);
        assertThat(fixture.describe(GROUP).groupState()).isEqualTo("PreparingRebalance");
        assertThat(fixture.describe(GROUP).members()).extracting(m -> m.memberId()).containsExactly(survivor);
        assertThat(fixture.heartbeat(GROUP, silent, first.generationId())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(fixture.heartbeat(GROUP, survivor, first.generationId())).isEqualTo(Errors.REBALANCE_IN_PROGRESS);

        Generation second = GroupFixture.generationOf(List.of(fixture.rejoin(GROUP, survivor)));
        assertThat(second.members()).containsExactly(survivor);
        fixture.syncAll(GROUP, second);
    }

    @Test
    void aGroupWhoseLastMemberExpiresIsDroppedAndCanFormAgain() {
        Generation first = fixture.stableGroup(GROUP, 1);
        fixture.scheduler.advance(SESSION_MS);
        assertThat(fixture.describe(GROUP).groupState()).as("no members and no offsets: gone").isEqualTo("Dead");
        assertThat(error(fixture.describe(GROUP).errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        assertThat(fixture.heartbeat(GROUP, first.leader(), first.generationId())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(fixture.scheduler.pendingTasks()).isZero();

        Generation again = fixture.stableGroup(GROUP, 1);
        assertThat(again.generationId()).isEqualTo(1);
    }

    @Test
    void membersThatSendNoSyncGroupWithinTheRebalanceTimeoutAreRemoved() {
        String leader = fixture.memberIdRequired(GROUP);
        String follower = fixture.memberIdRequired(GROUP);
        List<CompletableFuture<JoinGroupResponseData>> joins = List.of(fixture.rejoin(GROUP, leader), fixture.rejoin(GROUP, follower));
        fixture.advanceUntilDone(joins);
        Generation generation = GroupFixture.generationOf(joins);

        // The follower syncs and waits; the leader heartbeats but never sends its assignment.
        CompletableFuture<SyncGroupResponseData> followerSync = fixture.sync(GROUP, follower, generation.generationId(), Map.of());
        for (long elapsed = 0; elapsed < REBALANCE_MS; elapsed += 3_000) {
            fixture.heartbeat(GROUP, leader, generation.generationId());
            fixture.scheduler.advance(3_000);
        }
        assertThat(followerSync).isDone();
        assertThat(error(followerSync.join().errorCode())).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        assertThat(fixture.heartbeat(GROUP, leader, generation.generationId())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(fixture.describe(GROUP).members()).extracting(m -> m.memberId()).containsExactly(follower);
    }

    @Test
    void leavingTriggersARebalanceOfTheRemainingMembers() {
        Generation first = fixture.stableGroup(GROUP, 3);
        String stayer = first.leader();
        List<String> leavers = first.followers();

        LeaveGroupResponseData left = fixture.leave(GROUP, (short) 5, leavers.get(0), leavers.get(1), "nobody");
        assertThat(error(left.errorCode())).isEqualTo(Errors.NONE);
        assertThat(left.members()).extracting(MemberResponse::memberId, m -> error(m.errorCode())).containsExactly(
                org.assertj.core.groups.Tuple.tuple(leavers.get(0), Errors.NONE),
                org.assertj.core.groups.Tuple.tuple(leavers.get(1), Errors.NONE),
                org.assertj.core.groups.Tuple.tuple("nobody", Errors.UNKNOWN_MEMBER_ID));
        assertThat(fixture.describe(GROUP).groupState()).isEqualTo("PreparingRebalance");
        assertThat(fixture.heartbeat(GROUP, stayer, first.generationId())).isEqualTo(Errors.REBALANCE_IN_PROGRESS);

        Generation second = GroupFixture.generationOf(List.of(fixture.rejoin(GROUP, stayer)));
        assertThat(second.members()).containsExactly(stayer);
        fixture.syncAll(GROUP, second);

        // Version 0 carries one member at top level and answers with a top-level error.
        assertThat(error(fixture.leave(GROUP, (short) 0, "nobody").errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        LeaveGroupResponseData lastLeft = fixture.leave(GROUP, (short) 0, stayer);
        assertThat(error(lastLeft.errorCode())).isEqualTo(Errors.NONE);
        assertThat(fixture.describe(GROUP).groupState()).isEqualTo("Dead");
        assertThat(error(fixture.leave("no-such-group", (short) 5, stayer).errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void leavingDuringTheJoinPhaseLetsItComplete() {
        Generation first = fixture.stableGroup(GROUP, 2);
        CompletableFuture<JoinGroupResponseData> leaderJoin = fixture.rejoin(GROUP, first.leader());
        assertThat(leaderJoin).isNotDone();
        fixture.leave(GROUP, (short) 5, first.followers().get(0));
        assertThat(GroupFixture.generationOf(List.of(leaderJoin)).members()).containsExactly(first.leader());
    }

    @Test
    void aMismatchedProtocolTypeOrProtocolsIsRejected() {
        Generation generation = fixture.stableGroup(GROUP, 1);

        JoinGroupResponseData otherType = fixture.join(joinRequest(GROUP, "").setProtocolType("connect"), JOIN_V).join();
        assertThat(error(otherType.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);

        JoinGroupResponseData otherProtocol = fixture.join(
                joinRequest(GROUP, "").setProtocols(protocols("x", "roundrobin")), JOIN_V).join();
        assertThat(error(otherProtocol.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);

        JoinGroupResponseData noProtocols = fixture.join(
                joinRequest("other-group", "").setProtocols(protocols("x")), JOIN_V).join();
        assertThat(error(noProtocols.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);

        SyncGroupResponseData wrongName = fixture.coordinator.syncGroup(new org.apache.kafka.common.message.SyncGroupRequestData()
                .setGroupId(GROUP).setMemberId(generation.leader()).setGenerationId(generation.generationId())
                .setProtocolType("consumer").setProtocolName("roundrobin"), (short) 5).join();
        assertThat(error(wrongName.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
    }

    @Test
    void theProtocolIsTheOneMostMembersPreferAmongThoseAllSupport() {
        String a = fixture.memberIdRequired(GROUP);
        String b = fixture.memberIdRequired(GROUP);
        String c = fixture.memberIdRequired(GROUP);
        List<CompletableFuture<JoinGroupResponseData>> joins = List.of(
                fixture.join(joinRequest(GROUP, a).setProtocols(protocols(a, "cooperative-sticky", "range", "sticky")), JOIN_V),
                fixture.join(joinRequest(GROUP, b).setProtocols(protocols(b, "range", "cooperative-sticky")), JOIN_V),
                fixture.join(joinRequest(GROUP, c).setProtocols(protocols(c, "range", "cooperative-sticky")), JOIN_V));
        fixture.advanceUntilDone(joins);
        assertThat(joins.get(0).join().protocolName()).isEqualTo("range");
        assertThat(joins.get(0).join().members()).extracting(JoinGroupResponseMember::metadata)
                .containsExactly(bytes("range:" + a), bytes("range:" + b), bytes("range:" + c));
    }

    @Test
    void aFollowerRejoiningAStableGroupWithUnchangedMetadataGetsTheCurrentGeneration() {
        Generation generation = fixture.stableGroup(GROUP, 2);
        JoinGroupResponseData again = fixture.rejoin(GROUP, generation.followers().get(0)).join();
        assertThat(again.generationId()).isEqualTo(generation.generationId());
        assertThat(again.members()).isEmpty();
        assertThat(fixture.describe(GROUP).groupState()).isEqualTo("Stable");

        // The leader rejoining asks for a new assignment: a rebalance.
        assertThat(fixture.rejoin(GROUP, generation.leader())).isNotDone();
        assertThat(fixture.describe(GROUP).groupState()).isEqualTo("PreparingRebalance");
    }

    @Test
    void versionsBefore4JoinWithoutTheMemberIdRoundTrip() {
        CompletableFuture<JoinGroupResponseData> join = fixture.join(joinRequest(GROUP, ""), (short) 3);
        assertThat(join).isNotDone();
        fixture.scheduler.advance(DELAY_MS);
        assertThat(join.join().memberId()).startsWith("client-");
        assertThat(join.join().leader()).isEqualTo(join.join().memberId());

        // Version 0 has no rebalance timeout; the session timeout stands in for it.
        CompletableFuture<JoinGroupResponseData> v0 = fixture.join(joinRequest("old", "").setRebalanceTimeoutMs(-1), (short) 0);
        fixture.scheduler.advance(DELAY_MS);
        assertThat(error(v0.join().errorCode())).isEqualTo(Errors.NONE);
    }

    @Test
    void staticMembersJoinDirectlyAndARestartedInstanceFencesItsOldMemberId() {
        CompletableFuture<JoinGroupResponseData> join = fixture.join(
                joinRequest(GROUP, "").setGroupInstanceId("host-1"), JOIN_V);
        fixture.scheduler.advance(DELAY_MS);
        JoinGroupResponseData joined = join.join();
        String oldId = joined.memberId();
        assertThat(oldId).startsWith("host-1-");
        assertThat(joined.members()).singleElement().satisfies(m -> assertThat(m.groupInstanceId()).isEqualTo("host-1"));
        fixture.sync(GROUP, oldId, 1, Map.of(oldId, assignmentOf(oldId))).join();

        CompletableFuture<JoinGroupResponseData> restarted = fixture.join(
                joinRequest(GROUP, "").setGroupInstanceId("host-1"), JOIN_V);
        JoinGroupResponseData rejoined = restarted.join();
        assertThat(rejoined.memberId()).startsWith("host-1-").isNotEqualTo(oldId);
        assertThat(rejoined.generationId()).isEqualTo(2);

        HeartbeatRequestData stale = new HeartbeatRequestData().setGroupId(GROUP).setMemberId(oldId)
                .setGroupInstanceId("host-1").setGenerationId(2);
        assertThat(fixture.heartbeat(stale)).isEqualTo(Errors.FENCED_INSTANCE_ID);
        assertThat(fixture.heartbeat(stale.setMemberId(rejoined.memberId()))).isEqualTo(Errors.NONE);
        assertThat(fixture.heartbeat(stale.setGroupInstanceId("host-2"))).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void requestsForUnknownGroupsMembersAndGenerationsAreRejected() {
        assertThat(error(fixture.rejoin("nope", "client-1").join().errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(fixture.heartbeat("nope", "client-1", 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(error(fixture.sync("nope", "client-1", 1, Map.of()).join().errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(error(fixture.join(joinRequest("", ""), JOIN_V).join().errorCode())).isEqualTo(Errors.INVALID_GROUP_ID);
        assertThat(error(fixture.join(joinRequest(GROUP, "").setSessionTimeoutMs(1_000), JOIN_V).join().errorCode()))
                .isEqualTo(Errors.INVALID_SESSION_TIMEOUT);

        Generation generation = fixture.stableGroup(GROUP, 1);
        assertThat(fixture.heartbeat(GROUP, "stranger", generation.generationId())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(fixture.heartbeat(GROUP, generation.leader(), 7)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(error(fixture.sync(GROUP, generation.leader(), 7, Map.of()).join().errorCode()))
                .isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(error(fixture.rejoin(GROUP, "stranger").join().errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void anIdHandedOutButNeverUsedExpires() {
        Generation generation = fixture.stableGroup(GROUP, 1);
        String pending = fixture.memberIdRequired(GROUP);
        fixture.scheduler.advance(SESSION_MS / 2);
        fixture.heartbeat(GROUP, generation.leader(), generation.generationId());
        fixture.scheduler.advance(SESSION_MS / 2);
        assertThat(error(fixture.rejoin(GROUP, pending).join().errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(fixture.describe(GROUP).groupState()).isEqualTo("Stable");
    }

    @Test
    void closingAnswersParkedRequestsAndCancelsTimers() {
        String memberId = fixture.memberIdRequired(GROUP);
        CompletableFuture<JoinGroupResponseData> join = fixture.rejoin(GROUP, memberId);
        fixture.coordinator.close();
        assertThat(error(join.join().errorCode())).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(fixture.scheduler.pendingTasks()).isZero();
        assertThat(fixture.heartbeat(GROUP, memberId, 0)).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(error(fixture.join(joinRequest(GROUP, ""), JOIN_V).join().errorCode()))
                .isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
    }

    @Test
    void maxVersionsAreTheNewestOfKafkaClients() {
        assertThat(GroupCoordinator.maxVersion(ApiKeys.JOIN_GROUP)).isEqualTo(ApiKeys.JOIN_GROUP.latestVersion());
        for (ApiKeys api : List.of(ApiKeys.JOIN_GROUP, ApiKeys.SYNC_GROUP, ApiKeys.HEARTBEAT, ApiKeys.LEAVE_GROUP,
                ApiKeys.OFFSET_COMMIT, ApiKeys.OFFSET_FETCH, ApiKeys.DESCRIBE_GROUPS, ApiKeys.LIST_GROUPS)) {
            assertThat(GroupCoordinator.maxVersion(api)).as(api.name).isEqualTo(api.latestVersion());
        }
    }
}
