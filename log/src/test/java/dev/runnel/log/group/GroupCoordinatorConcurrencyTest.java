package dev.runnel.log.group;

import static dev.runnel.log.group.GroupFixture.JOIN_V;
import static dev.runnel.log.group.GroupFixture.SYNC_V;
import static dev.runnel.log.group.GroupFixture.error;
import static dev.runnel.log.group.GroupFixture.joinRequest;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Members of a few groups joining, syncing, heartbeating and leaving at once, on real threads and
 * a real scheduler: every parked request must be answered and nothing may be left behind.
 */
class GroupCoordinatorConcurrencyTest {
    private static final int MEMBERS = 8;
    private static final int ROUNDS = 5;
    private static final List<String> GROUPS = List.of("a", "b", "c");

    @Test
    @Timeout(120)
    void concurrentMembersAlwaysGetAnswersAndLeaveNothingBehind() throws Exception {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2);
        scheduler.setRemoveOnCancelPolicy(true);
        GroupCoordinator coordinator = new GroupCoordinator(new InMemoryMetadataStore(), Time.SYSTEM, scheduler,
                GroupConfig.DEFAULT.withInitialRebalanceDelayMs(50));
        ExecutorService members = Executors.newFixedThreadPool(MEMBERS);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int m = 0; m < MEMBERS; m++) {
                String group = GROUPS.get(m % GROUPS.size());
                runs.add(members.submit(() -> {
                    for (int round = 0; round < ROUNDS; round++) {
                        oneMembership(coordinator, group);
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(100, TimeUnit.SECONDS);
            }
            // Everybody left: the groups are gone and no timer is pending.
            for (String group : GROUPS) {
                assertThat(coordinator.describeGroups(new DescribeGroupsRequestData().setGroups(List.of(group)), (short) 5)
                        .groups().get(0).groupState()).isEqualTo("Dead");
            }
            assertThat(scheduler.getQueue()).isEmpty();
        } finally {
            members.shutdownNow();
            coordinator.close();
            scheduler.shutdownNow();
        }
    }

    /** Joins (retrying as a client would), syncs, heartbeats and leaves; every answer must arrive. */
    private static void oneMembership(GroupCoordinator coordinator, String group) throws Exception {
        String memberId = "";
        JoinGroupResponseData joined = null;
        for (int attempt = 0; attempt < 50 && joined == null; attempt++) {
            JoinGroupResponseData response = coordinator.joinGroup(
                    joinRequest(group, memberId).setRebalanceTimeoutMs(2_000).setSessionTimeoutMs(6_000),
                    JOIN_V, "client", "/127.0.0.1").get(10, TimeUnit.SECONDS);
            Errors error = error(response.errorCode());
            if (error == Errors.NONE) {
                joined = response;
            } else if (error == Errors.MEMBER_ID_REQUIRED) {
                memberId = response.memberId();
            } else {
                assertThat(error).isIn(Errors.UNKNOWN_MEMBER_ID, Errors.REBALANCE_IN_PROGRESS);
                memberId = error == Errors.UNKNOWN_MEMBER_ID ? "" : memberId;
            }
        }
        assertThat(joined).isNotNull();
        memberId = joined.memberId();

        SyncGroupRequestData sync = new SyncGroupRequestData().setGroupId(group).setMemberId(memberId)
                .setGenerationId(joined.generationId());
        joined.members().forEach(m -> sync.assignments().add(
                new SyncGroupRequestAssignment().setMemberId(m.memberId()).setAssignment(new byte[] {1})));
        SyncGroupResponseData synced = coordinator.syncGroup(sync, SYNC_V).get(10, TimeUnit.SECONDS);
        assertThat(error(synced.errorCode())).isIn(Errors.NONE, Errors.REBALANCE_IN_PROGRESS, Errors.UNKNOWN_MEMBER_ID,
                Errors.ILLEGAL_GENERATION);

        coordinator.heartbeat(new HeartbeatRequestData().setGroupId(group).setMemberId(memberId)
                .setGenerationId(joined.generationId()), (short) 4);
        coordinator.leaveGroup(new LeaveGroupRequestData().setGroupId(group)
                .setMembers(List.of(new MemberIdentity().setMemberId(memberId))), (short) 5);
    }
}
