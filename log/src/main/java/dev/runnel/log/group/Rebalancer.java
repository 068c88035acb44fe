package dev.runnel.log.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic rebalance protocol's state machine, as Kafka's group coordinator runs it. Every
 * method is called with the group's lock held and answers parked requests only through the
 * given {@link Completions}.
 *
 * <ul>
 *   <li>A join, rejoin with new protocols, leader rejoin, leave or expiry of a Stable or
 *       CompletingRebalance group starts a rebalance (PreparingRebalance); parked SyncGroups are
 *       answered REBALANCE_IN_PROGRESS.
 *   <li>The join phase ends when every member has parked a JoinGroup (and every handed-out id
 *       has joined), or when the rebalance timeout (the longest of the members') expires; members
 *       that did not rejoin are then removed. The first rebalance of an Empty group instead waits
 *       {@link GroupConfig#initialRebalanceDelayMs()}, again as long as members keep arriving,
 *       up to the rebalance timeout.
 *   <li>Ending the join phase starts the next generation: every parked JoinGroup is answered,
 *       the leader's with all members and their metadata for the selected protocol, and the
 *       group awaits SyncGroup from every member (CompletingRebalance). The leader's SyncGroup
 *       carries the assignments; it makes the group Stable and answers every parked SyncGroup.
 *       Members that send no SyncGroup within the rebalance timeout are removed.
 *   <li>A member's session expires when it has neither heartbeated nor sent a group request for
 *       its session timeout while not parked in a JoinGroup or SyncGroup; it is removed.
 * </ul>
 */
final class Rebalancer {
    private static final Logger log = LoggerFactory.getLogger(Rebalancer.class);

    static final String JOIN_TIMER = "join";
    static final String SYNC_TIMER = "sync";

    private final GroupConfig config;
    private final Consumer<ClassicGroup> evictor;

    /**
     * @param evictor drops a group that has become Empty with nobody about to join (called with
     *     its lock held); its committed offsets stay in the store
     */
    Rebalancer(GroupConfig config, Consumer<ClassicGroup> evictor) {
        this.config = config;
        this.evictor = evictor;
    }

    static String heartbeatTimer(String memberId) {
        return "heartbeat " + memberId;
    }

    // ---- joining

    /** Remembers an id handed out with MEMBER_ID_REQUIRED; it expires after the session timeout. */
    void addPendingMember(ClassicGroup group, String memberId, int sessionTimeoutMs) {
        group.addPendingMember(memberId);
        group.timers().schedule(heartbeatTimer(memberId), sessionTimeoutMs, done -> {
            if (group.removePendingMember(memberId)) {
                log.info("Group {}: pending member {} did not join in time", group.groupId(), memberId);
                maybeCompleteJoin(group, done);
                maybeEvict(group);
            }
        });
    }

    /** Adds a member whose JoinGroup is parked on {@code future}, then rebalances. */
    void addMemberAndRebalance(ClassicGroup group, GroupMember member,
            CompletableFuture<JoinGroupResponseData> future, Completions done) {
        member.awaitJoin(future);
        if (group.is(GroupState.PREPARING_REBALANCE) && group.initialRebalance()) {
            group.newMemberAdded(true);
        }
        group.add(member);
        scheduleHeartbeat(group, member);
        maybePrepareRebalanceOrCompleteJoin(group, "member " + member + " joined", done);
    }

    /** A known member rejoins (possibly with new protocols): parks its JoinGroup, then rebalances. */
    void updateMemberAndRebalance(ClassicGroup group, GroupMember member, int sessionTimeoutMs,
            int rebalanceTimeoutMs, List<GroupMember.Protocol> protocols,
            CompletableFuture<JoinGroupResponseData> future, String reason, Completions done) {
        member.update(sessionTimeoutMs, rebalanceTimeoutMs, protocols);
        // A second JoinGroup of the same member replaces the first, which its client gave up on.
        done.complete(member.awaitJoin(future), joinError(member.memberId(), Errors.REBALANCE_IN_PROGRESS));
        maybePrepareRebalanceOrCompleteJoin(group, reason, done);
    }

    void maybePrepareRebalanceOrCompleteJoin(ClassicGroup group, String reason, Completions done) {
        switch (group.state()) {
            case EMPTY, STABLE, COMPLETING_REBALANCE -> prepareRebalance(group, reason, done);
            case PREPARING_REBALANCE -> maybeCompleteJoin(group, done);
            case DEAD -> { }
        }
    }

    void prepareRebalance(ClassicGroup group, String reason, Completions done) {
        if (group.is(GroupState.COMPLETING_REBALANCE)) {
            for (GroupMember member : group.members()) {
                member.assignment(GroupMember.EMPTY_BYTES);
                CompletableFuture<SyncGroupResponseData> sync = member.takeSyncFuture();
                if (sync != null) {
                    done.complete(sync, syncError(Errors.REBALANCE_IN_PROGRESS));
                    // It was parked and could not heartbeat: its session starts afresh.
                    scheduleHeartbeat(group, member);
                }
            }
        }
        group.clearPendingSyncMembers();
        group.timers().cancel(SYNC_TIMER);

        boolean initial = group.is(GroupState.EMPTY) && config.initialRebalanceDelayMs() > 0;
        group.transitionTo(GroupState.PREPARING_REBALANCE);
        group.initialRebalance(initial);
        log.info("Group {}: preparing to rebalance generation {} ({})", group.groupId(), group.generationId(), reason);

        if (initial) {
            long delayMs = config.initialRebalanceDelayMs();
            long remainingMs = Math.max(group.rebalanceTimeoutMs() - delayMs, 0);
            scheduleInitialJoin(group, delayMs, remainingMs);
        } else if (group.hasAllMembersJoined()) {
            completeJoin(group, done);
        } else {
            group.timers().schedule(JOIN_TIMER, group.rebalanceTimeoutMs(), d -> completeJoin(group, d));
        }
    }

    private void scheduleInitialJoin(ClassicGroup group, long delayMs, long remainingMs) {
        group.timers().schedule(JOIN_TIMER, delayMs, done -> {
            if (group.newMemberAdded() && remainingMs > 0) {
                group.newMemberAdded(false);
                long nextDelayMs = Math.min(config.initialRebalanceDelayMs(), remainingMs);
                scheduleInitialJoin(group, nextDelayMs, remainingMs - nextDelayMs);
            } else {
                completeJoin(group, done);
            }
        });
    }

    /** Ends the join phase if every member has rejoined, unless the initial delay is running. */
    void maybeCompleteJoin(ClassicGroup group, Completions done) {
        if (group.is(GroupState.PREPARING_REBALANCE) && !group.initialRebalance() && group.hasAllMembersJoined()) {
            completeJoin(group, done);
        }
    }

    /** Ends the join phase: drops members that did not rejoin and starts the next generation. */
    void completeJoin(ClassicGroup group, Completions done) {
        group.timers().cancel(JOIN_TIMER);
        if (!group.is(GroupState.PREPARING_REBALANCE)) {
            return;
        }
        for (GroupMember member : group.notYetRejoinedMembers()) {
            log.info("Group {}: removing member {}, which did not rejoin in time", group.groupId(), member);
            forget(group, member, Errors.UNKNOWN_MEMBER_ID, done);
        }
        group.initNextGeneration();
        if (group.is(GroupState.EMPTY)) {
            log.info("Group {}: generation {} is empty", group.groupId(), group.generationId());
            maybeEvict(group);
            return;
        }
        log.info("Group {}: generation {} formed with {} members, protocol {}, leader {}", group.groupId(),
                group.generationId(), group.members().size(), group.protocolName(), group.leaderId());
        for (GroupMember member : group.members()) {
            done.complete(member.takeJoinFuture(), joinResponse(group, member.memberId(), group.isLeader(member.memberId())));
            scheduleHeartbeat(group, member);
        }
        group.awaitSyncFromAllMembers();
        int generation = group.generationId();
        group.timers().schedule(SYNC_TIMER, group.rebalanceTimeoutMs(), d -> expirePendingSync(group, generation, d));
    }

    /** The JoinGroup answer describing the current generation; the member list only for the leader. */
    static JoinGroupResponseData joinResponse(ClassicGroup group, String memberId, boolean withMembers) {
        List<JoinGroupResponseMember> members = new ArrayList<>();
        if (withMembers) {
            for (GroupMember member : group.members()) {
                members.add(new JoinGroupResponseMember()
                        .setMemberId(member.memberId())
                        .setGroupInstanceId(member.groupInstanceId())
                        .setMetadata(member.metadata(group.protocolName())));
            }
        }
        return new JoinGroupResponseData()
                .setErrorCode(Errors.NONE.code())
                .setGenerationId(group.generationId())
                .setProtocolType(group.protocolType())
                .setProtocolName(group.protocolName())
                .setLeader(group.leaderId())
                .setSkipAssignment(false)
                .setMemberId(memberId)
                .setMembers(members);
    }

    /**
     * Drops an Empty group that nobody is joining: groups live in memory only while they have
     * members (Kafka drops them once their offsets expire; here the offsets stay in the store and
     * keep the group listed). A request still holding the dropped group sees it Dead.
     */
    void maybeEvict(ClassicGroup group) {
        if (group.is(GroupState.EMPTY) && group.hasNoMembers() && !group.hasPendingMembers()) {
            log.info("Group {}: empty, dropped from memory", group.groupId());
            evictor.accept(group);
        }
    }

    // ---- syncing

    /** A member's SyncGroup arrived in CompletingRebalance or Stable: it no longer holds up the sync phase. */
    void synced(ClassicGroup group, String memberId) {
        if (group.synced(memberId)) {
            group.timers().cancel(SYNC_TIMER);
        }
    }

    /** The leader's assignments: stores them, makes the group Stable and answers every parked SyncGroup. */
    void assign(ClassicGroup group, Map<String, byte[]> assignments, Completions done) {
        for (GroupMember member : group.members()) {
            member.assignment(assignments.get(member.memberId()));
        }
        group.transitionTo(GroupState.STABLE);
        log.info("Group {}: generation {} is stable", group.groupId(), group.generationId());
        for (GroupMember member : group.members()) {
            CompletableFuture<SyncGroupResponseData> future = member.takeSyncFuture();
            if (future != null) {
                done.complete(future, syncResponse(group, member));
                scheduleHeartbeat(group, member);
            }
        }
    }

    static SyncGroupResponseData syncResponse(ClassicGroup group, GroupMember member) {
        return new SyncGroupResponseData()
                .setErrorCode(Errors.NONE.code())
                .setProtocolType(group.protocolType())
                .setProtocolName(group.protocolName())
                .setAssignment(member.assignment());
    }

    private void expirePendingSync(ClassicGroup group, int generation, Completions done) {
        if (generation != group.generationId()
                || !(group.is(GroupState.COMPLETING_REBALANCE) || group.is(GroupState.STABLE))) {
            return;
        }
        var pending = group.pendingSyncMembers();
        if (pending.isEmpty()) {
            return;
        }
        log.info("Group {}: removing members {}, which sent no SyncGroup in time", group.groupId(), pending);
        for (String memberId : pending) {
            GroupMember member = group.member(memberId);
            if (member != null) {
                forget(group, member, Errors.UNKNOWN_MEMBER_ID, done);
            }
        }
        prepareRebalance(group, "members " + pending + " sent no SyncGroup", done);
    }

    // ---- liveness and leaving

    /** (Re)starts the member's session timer. */
    void scheduleHeartbeat(ClassicGroup group, GroupMember member) {
        String memberId = member.memberId();
        group.timers().schedule(heartbeatTimer(memberId), member.sessionTimeoutMs(), done -> {
            GroupMember current = group.member(memberId);
            if (current != member) {
                return;
            }
            if (member.isAwaitingJoin() || member.isAwaitingSync()) {
                // Parked members cannot heartbeat; the join and sync phases have their own timeouts.
                scheduleHeartbeat(group, member);
            } else {
                log.info("Group {}: session of member {} expired", group.groupId(), member);
                removeMember(group, member, "session of " + member + " expired", done);
            }
        });
    }

    /** Removes a member that left or expired and rebalances the rest. */
    void removeMember(ClassicGroup group, GroupMember member, String reason, Completions done) {
        forget(group, member, Errors.UNKNOWN_MEMBER_ID, done);
        switch (group.state()) {
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance(group, reason, done);
            case PREPARING_REBALANCE -> maybeCompleteJoin(group, done);
            case EMPTY, DEAD -> { }
        }
    }

    /**
     * Drops a member without rebalancing (the caller decides), answering its parked requests with
     * {@code error}.
     */
    void forget(ClassicGroup group, GroupMember member, Errors error, Completions done) {
        done.complete(member.takeJoinFuture(), joinError(member.memberId(), error));
        done.complete(member.takeSyncFuture(), syncError(error));
        group.timers().cancel(heartbeatTimer(member.memberId()));
        group.remove(member.memberId());
    }

    static JoinGroupResponseData joinError(String memberId, Errors error) {
        return new JoinGroupResponseData().setErrorCode(error.code()).setMemberId(memberId);
    }

    static SyncGroupResponseData syncError(Errors error) {
        return new SyncGroupResponseData().setErrorCode(error.code());
    }
}
