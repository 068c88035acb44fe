package dev.runnel.log.group;

import dev.runnel.log.metadata.MetadataStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Time;

/**
 * The group coordinator of an agent for Kafka's classic group protocol: JoinGroup, SyncGroup,
 * Heartbeat and LeaveGroup form groups of consumers and hand out the leader's assignment;
 * OffsetCommit and OffsetFetch keep their positions; DescribeGroups and ListGroups show them.
 *
 * <p><b>State.</b> Groups and their members live in memory ({@link ClassicGroup},
 * {@link GroupMember}) while they have members; a group left Empty is dropped. Only committed
 * offsets are persisted, in the {@link MetadataStore} ({@link OffsetRequests}), so they survive
 * agents, and a group that only has offsets is still described and listed, Empty
 * ({@link GroupViews}). A group therefore has to be coordinated by one agent at a time (the
 * agent answering FindCoordinator for it); when that agent goes away its members find a new
 * coordinator, are unknown there (UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION) and simply join again.
 *
 * <p><b>Rebalancing</b> follows Kafka's broker (see {@link Rebalancer}): a JoinGroup is parked
 * until the join phase ends, a follower's SyncGroup until the leader's arrives. Those two calls
 * return futures that are completed later, either by another request or by a timer running on
 * the {@code scheduler} (session, join-phase and sync-phase timeouts, {@link GroupTimers}). No
 * method waits: they are safe to call from Netty event-loop threads. The offset, describe and
 * list calls read or write the metadata store synchronously.
 *
 * <p><b>Locking.</b> Each group is its own lock; requests of different groups never contend.
 * Parked futures are completed after the lock is released ({@link Completions}).
 *
 * <p><b>Static membership</b> (group.instance.id) is supported simply: a static member joins
 * without the MEMBER_ID_REQUIRED round trip, requests naming its instance id with another member
 * id are fenced (FENCED_INSTANCE_ID), and a restarted instance replaces its old member id, which
 * triggers a rebalance (Kafka would skip it when the protocols did not change). Static members are
 * otherwise treated as dynamic: they are removed when their session expires or when they miss a
 * rebalance.
 */
public final class GroupCoordinator implements AutoCloseable {
    private final ScheduledExecutorService scheduler;
    private final GroupConfig config;
    private final Rebalancer rebalancer;
    private final OffsetRequests offsets;
    private final GroupViews views;
    private final ConcurrentMap<String, ClassicGroup> groups = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public GroupCoordinator(MetadataStore store, Time time, ScheduledExecutorService scheduler) {
        this(store, time, scheduler, GroupConfig.DEFAULT);
    }

    public GroupCoordinator(MetadataStore store, Time time, ScheduledExecutorService scheduler, GroupConfig config) {
        this.scheduler = scheduler;
        this.config = config;
        this.rebalancer = new Rebalancer(config, this::evict);
        this.offsets = new OffsetRequests(store, time, config.maxMetadataBytes());
        this.views = new GroupViews(store, groups::get, groups::values);
    }

    /**
     * The highest version of each group API this coordinator implements: the newest each API has
     * in kafka-clients 4.3.0 (OffsetCommit and OffsetFetch 10 use topic ids, resolved through the
     * metadata store).
     *
     * @throws IllegalArgumentException for an API that is not a group API
     */
    public static short maxVersion(ApiKeys api) {
        return switch (api) {
            case JOIN_GROUP -> 9;
            case SYNC_GROUP -> 5;
            case HEARTBEAT -> 4;
            case LEAVE_GROUP -> 5;
            case OFFSET_COMMIT -> 10;
            case OFFSET_FETCH -> 10;
            case DESCRIBE_GROUPS -> 6;
            case LIST_GROUPS -> 5;
            default -> throw new IllegalArgumentException("not a group API: " + api);
        };
    }

    /** Drops an Empty group nobody is joining (called under its lock). */
    private void evict(ClassicGroup group) {
        group.kill();
        groups.remove(group.groupId(), group);
    }

    static boolean isValidGroupId(String groupId) {
        return groupId != null && !groupId.isEmpty();
    }

    // ---- JoinGroup

    /**
     * Joins a member to a group. The future completes when the join phase ends (or at once for
     * errors, for MEMBER_ID_REQUIRED and for members of a settled generation).
     */
    public CompletableFuture<JoinGroupResponseData> joinGroup(
            JoinGroupRequestData request, short version, String clientId, String clientHost) {
        String memberId = request.memberId() == null ? "" : request.memberId();
        if (closed) {
            return CompletableFuture.completedFuture(Rebalancer.joinError(memberId, Errors.COORDINATOR_NOT_AVAILABLE));
        }
        if (!isValidGroupId(request.groupId())) {
            return CompletableFuture.completedFuture(Rebalancer.joinError(memberId, Errors.INVALID_GROUP_ID));
        }
        if (request.sessionTimeoutMs() < config.minSessionTimeoutMs()
                || request.sessionTimeoutMs() > config.maxSessionTimeoutMs()) {
            return CompletableFuture.completedFuture(Rebalancer.joinError(memberId, Errors.INVALID_SESSION_TIMEOUT));
        }
        JoinRequest join = new JoinRequest(request, version, clientId == null ? "" : clientId, clientHost);
        while (true) {
            ClassicGroup group = memberId.isEmpty()
                    ? groups.computeIfAbsent(request.groupId(), id -> new ClassicGroup(id, scheduler))
                    : groups.get(request.groupId());
            if (group == null) {
                return CompletableFuture.completedFuture(Rebalancer.joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
            }
            CompletableFuture<JoinGroupResponseData> future = new CompletableFuture<>();
            Completions done = new Completions();
            synchronized (group) {
                if (group.is(GroupState.DEAD) && !closed) {
                    if (memberId.isEmpty()) {
                        continue; // dropped meanwhile: join a fresh group
                    }
                    done.complete(future, Rebalancer.joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
                } else if (closed) {
                    done.complete(future, Rebalancer.joinError(memberId, Errors.COORDINATOR_NOT_AVAILABLE));
                } else if (!group.supportsProtocols(request.protocolType(), join.protocolNames())) {
                    done.complete(future, Rebalancer.joinError(memberId, Errors.INCONSISTENT_GROUP_PROTOCOL));
                    rebalancer.maybeEvict(group);
                } else if (memberId.isEmpty()) {
                    joinNewMember(group, join, future, done);
                } else {
                    joinKnownMember(group, memberId, join, future, done);
                }
            }
            done.run();
            return future;
        }
    }

    /** A JoinGroup's parameters, normalized (version 0 has no rebalance timeout: the session timeout is used). */
    private record JoinRequest(JoinGroupRequestData data, short version, String clientId, String clientHost) {
        int rebalanceTimeoutMs() {
            return data.rebalanceTimeoutMs() < 0 ? data.sessionTimeoutMs() : data.rebalanceTimeoutMs();
        }

        List<GroupMember.Protocol> protocols() {
            return GroupMember.protocolsOf(data.protocols());
        }

        List<String> protocolNames() {
            return data.protocols().stream().map(JoinGroupRequestProtocol::name).collect(Collectors.toList());
        }

        GroupMember newMember(String memberId, String groupInstanceId) {
            return new GroupMember(memberId, groupInstanceId, clientId, clientHost, data.protocolType(),
                    data.sessionTimeoutMs(), rebalanceTimeoutMs(), protocols());
        }
    }

    private void joinNewMember(ClassicGroup group, JoinRequest join,
            CompletableFuture<JoinGroupResponseData> future, Completions done) {
        String instanceId = join.data().groupInstanceId();
        String memberId = (instanceId != null ? instanceId : join.clientId()) + "-" + UUID.randomUUID();
        if (instanceId != null) {
            String previous = group.staticMemberId(instanceId);
            if (previous != null) {
                // The instance restarted: its old member id is fenced and the new one takes its place.
                rebalancer.forget(group, group.member(previous), Errors.FENCED_INSTANCE_ID, done);
            }
            rebalancer.addMemberAndRebalance(group, join.newMember(memberId, instanceId), future, done);
        } else if (join.version() >= 4) {
            rebalancer.addPendingMember(group, memberId, join.data().sessionTimeoutMs());
            done.complete(future, Rebalancer.joinError(memberId, Errors.MEMBER_ID_REQUIRED));
        } else {
            rebalancer.addMemberAndRebalance(group, join.newMember(memberId, null), future, done);
        }
    }

    private void joinKnownMember(ClassicGroup group, String memberId, JoinRequest join,
            CompletableFuture<JoinGroupResponseData> future, Completions done) {
        String instanceId = join.data().groupInstanceId();
        if (group.isPendingMember(memberId)) {
            if (instanceId != null) {
                // Ids handed out with MEMBER_ID_REQUIRED belong to dynamic members only.
                done.complete(future, Rebalancer.joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
            } else {
                rebalancer.addMemberAndRebalance(group, join.newMember(memberId, null), future, done);
            }
            return;
        }
        Errors error = group.validateMember(memberId, instanceId);
        if (error != Errors.NONE) {
            done.complete(future, Rebalancer.joinError(memberId, error));
            return;
        }
        GroupMember member = group.member(memberId);
        List<GroupMember.Protocol> protocols = join.protocols();
        boolean sameProtocols = member.matches(protocols);
        switch (group.state()) {
            case PREPARING_REBALANCE -> rebalancer.updateMemberAndRebalance(group, member, join.data().sessionTimeoutMs(),
                    join.rebalanceTimeoutMs(), protocols, future, "member " + member + " rejoined", done);
            case COMPLETING_REBALANCE, STABLE -> {
                boolean leaderRejoinsStable = group.is(GroupState.STABLE) && group.isLeader(memberId);
                if (sameProtocols && !leaderRejoinsStable) {
                    // Its JoinGroup answer was lost (or it just wants the generation again): repeat it.
                    rebalancer.scheduleHeartbeat(group, member);
                    boolean withMembers = group.is(GroupState.COMPLETING_REBALANCE) && group.isLeader(memberId);
                    done.complete(future, Rebalancer.joinResponse(group, memberId, withMembers));
                } else {
                    // New metadata, or the leader asks for a new assignment (e.g. topics changed).
                    rebalancer.updateMemberAndRebalance(group, member, join.data().sessionTimeoutMs(),
                            join.rebalanceTimeoutMs(), protocols, future, "member " + member + " rejoined with "
                                    + (sameProtocols ? "the same metadata as leader" : "new metadata"), done);
                }
            }
            case EMPTY, DEAD -> done.complete(future, Rebalancer.joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
        }
    }

    // ---- SyncGroup

    /**
     * Hands a member its assignment. The leader's request carries everybody's; a follower's
     * future completes once the leader's has arrived.
     */
    public CompletableFuture<SyncGroupResponseData> syncGroup(SyncGroupRequestData request, short version) {
        if (closed) {
            return CompletableFuture.completedFuture(Rebalancer.syncError(Errors.COORDINATOR_NOT_AVAILABLE));
        }
        if (!isValidGroupId(request.groupId())) {
            return CompletableFuture.completedFuture(Rebalancer.syncError(Errors.INVALID_GROUP_ID));
        }
        ClassicGroup group = groups.get(request.groupId());
        if (group == null) {
            return CompletableFuture.completedFuture(Rebalancer.syncError(Errors.UNKNOWN_MEMBER_ID));
        }
        CompletableFuture<SyncGroupResponseData> future = new CompletableFuture<>();
        Completions done = new Completions();
        synchronized (group) {
            Errors error = validateSync(group, request);
            if (error != Errors.NONE) {
                done.complete(future, Rebalancer.syncError(error));
            } else if (group.is(GroupState.COMPLETING_REBALANCE)) {
                GroupMember member = group.member(request.memberId());
                done.complete(member.awaitSync(future), Rebalancer.syncError(Errors.REBALANCE_IN_PROGRESS));
                rebalancer.synced(group, member.memberId());
                if (group.isLeader(member.memberId())) {
                    Map<String, byte[]> assignments = new HashMap<>();
                    for (SyncGroupRequestAssignment assignment : request.assignments()) {
                        assignments.put(assignment.memberId(), assignment.assignment());
                    }
                    rebalancer.assign(group, assignments, done);
                }
            } else {
                GroupMember member = group.member(request.memberId());
                rebalancer.synced(group, member.memberId());
                rebalancer.scheduleHeartbeat(group, member);
                done.complete(future, Rebalancer.syncResponse(group, member));
            }
        }
        done.run();
        return future;
    }

    /** NONE if the SyncGroup may proceed in CompletingRebalance or Stable, else the error to answer. */
    private Errors validateSync(ClassicGroup group, SyncGroupRequestData request) {
        if (closed) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (group.hasNoMembers()) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        Errors error = group.validateMember(request.memberId(), request.groupInstanceId());
        if (error != Errors.NONE) {
            return error;
        }
        if (request.generationId() != group.generationId()) {
            return Errors.ILLEGAL_GENERATION;
        }
        if (inconsistent(request.protocolType(), group.protocolType())
                || inconsistent(request.protocolName(), group.protocolName())) {
            return Errors.INCONSISTENT_GROUP_PROTOCOL;
        }
        return group.is(GroupState.PREPARING_REBALANCE) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
    }

    private static boolean inconsistent(String requested, String actual) {
        return requested != null && actual != null && !requested.equals(actual);
    }

    // ---- Heartbeat

    /** Keeps a member's session alive; REBALANCE_IN_PROGRESS tells it to rejoin. */
    public HeartbeatResponseData heartbeat(HeartbeatRequestData request, short version) {
        return new HeartbeatResponseData().setErrorCode(heartbeatError(request).code());
    }

    private Errors heartbeatError(HeartbeatRequestData request) {
        if (closed) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (!isValidGroupId(request.groupId())) {
            return Errors.INVALID_GROUP_ID;
        }
        ClassicGroup group = groups.get(request.groupId());
        if (group == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        synchronized (group) {
            if (closed) {
                return Errors.COORDINATOR_NOT_AVAILABLE;
            }
            Errors error = group.validateMember(request.memberId(), request.groupInstanceId());
            if (error != Errors.NONE) {
                return error;
            }
            if (request.generationId() != group.generationId()) {
                return Errors.ILLEGAL_GENERATION;
            }
            if (group.is(GroupState.EMPTY)) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            rebalancer.scheduleHeartbeat(group, group.member(request.memberId()));
            return group.is(GroupState.PREPARING_REBALANCE) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
        }
    }

    // ---- LeaveGroup

    /** Removes members (one before version 3, a batch from version 3) and rebalances the rest. */
    public LeaveGroupResponseData leaveGroup(LeaveGroupRequestData request, short version) {
        List<MemberIdentity> leaving = version >= 3 ? request.members()
                : List.of(new MemberIdentity().setMemberId(request.memberId()));
        LeaveGroupResponseData response = new LeaveGroupResponseData();
        Completions done = new Completions();
        ClassicGroup group = null;
        if (closed) {
            response.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        } else if (!isValidGroupId(request.groupId())) {
            response.setErrorCode(Errors.INVALID_GROUP_ID.code());
        } else if ((group = groups.get(request.groupId())) == null) {
            response.setErrorCode(Errors.UNKNOWN_MEMBER_ID.code());
        } else {
            synchronized (group) {
                if (closed) {
                    response.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
                } else if (group.is(GroupState.DEAD)) {
                    response.setErrorCode(Errors.UNKNOWN_MEMBER_ID.code());
                } else {
                    leave(group, leaving, response, done);
                }
            }
        }
        done.run();
        if (version < 3) {
            short error = response.errorCode() != Errors.NONE.code() || response.members().isEmpty()
                    ? response.errorCode() : response.members().get(0).errorCode();
            response.setErrorCode(error).setMembers(new ArrayList<>());
        }
        return response;
    }

    private void leave(ClassicGroup group, List<MemberIdentity> leaving, LeaveGroupResponseData response,
            Completions done) {
        boolean membersLeft = false;
        boolean pendingLeft = false;
        for (MemberIdentity identity : leaving) {
            String memberId = identity.memberId() == null ? "" : identity.memberId();
            String instanceId = identity.groupInstanceId();
            Errors error;
            if (memberId.isEmpty()) {
                // Admin removal of a static member by instance id alone.
                String current = instanceId == null ? null : group.staticMemberId(instanceId);
                error = current == null ? Errors.UNKNOWN_MEMBER_ID : Errors.NONE;
                if (current != null) {
                    rebalancer.forget(group, group.member(current), Errors.UNKNOWN_MEMBER_ID, done);
                    membersLeft = true;
                }
            } else if (instanceId == null && group.removePendingMember(memberId)) {
                group.timers().cancel(Rebalancer.heartbeatTimer(memberId));
                error = Errors.NONE;
                pendingLeft = true;
            } else {
                error = group.validateMember(memberId, instanceId);
                if (error == Errors.NONE) {
                    rebalancer.forget(group, group.member(memberId), Errors.UNKNOWN_MEMBER_ID, done);
                    membersLeft = true;
                }
            }
            response.members().add(new MemberResponse()
                    .setMemberId(memberId)
                    .setGroupInstanceId(instanceId)
                    .setErrorCode(error.code()));
        }
        if (membersLeft && (group.is(GroupState.STABLE) || group.is(GroupState.COMPLETING_REBALANCE))) {
            rebalancer.prepareRebalance(group, "members left", done);
        } else if (membersLeft || pendingLeft) {
            rebalancer.maybeCompleteJoin(group, done);
        }
        rebalancer.maybeEvict(group);
    }

    // ---- OffsetCommit / OffsetFetch

    /**
     * Commits offsets. Members of a generation must name the current one; commits with
     * generation -1 and no member id (consumers using assign(), admin tools) are accepted while
     * the group has no members.
     */
    public OffsetCommitResponseData commitOffsets(OffsetCommitRequestData request, short version) {
        return offsets.commit(request, version, commitError(request));
    }

    private Errors commitError(OffsetCommitRequestData request) {
        if (closed) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (!isValidGroupId(request.groupId())) {
            return Errors.INVALID_GROUP_ID;
        }
        int generation = request.generationIdOrMemberEpoch();
        String memberId = request.memberId() == null ? "" : request.memberId();
        String instanceId = request.groupInstanceId();
        // A group unknown here: either a standalone commit, or a member of a group this agent
        // forgot (it restarted, or coordination moved). ILLEGAL_GENERATION makes the latter
        // rejoin; Kafka answers GROUP_ID_NOT_FOUND from version 9, which consumers do not retry.
        Errors unknownGroup = generation < 0 ? Errors.NONE : Errors.ILLEGAL_GENERATION;
        ClassicGroup group = groups.get(request.groupId());
        if (group == null) {
            return unknownGroup;
        }
        synchronized (group) {
            if (closed) {
                return Errors.COORDINATOR_NOT_AVAILABLE;
            }
            if (group.is(GroupState.DEAD)) {
                return unknownGroup;
            }
            if (generation < 0 && group.is(GroupState.EMPTY)) {
                return Errors.NONE;
            }
            if (generation >= 0 || !memberId.isEmpty() || instanceId != null) {
                Errors error = group.validateMember(memberId, instanceId);
                if (error != Errors.NONE) {
                    return error;
                }
                if (generation != group.generationId()) {
                    return Errors.ILLEGAL_GENERATION;
                }
            } else {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            return group.is(GroupState.COMPLETING_REBALANCE) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
        }
    }

    /** Committed offsets of one group (before version 8) or several (from version 8); -1 where none. */
    public OffsetFetchResponseData fetchOffsets(OffsetFetchRequestData request, short version) {
        return offsets.fetch(request, version, closed);
    }

    // ---- DescribeGroups / ListGroups

    /** Groups with their state, protocol and members; groups known only by their offsets are Empty. */
    public DescribeGroupsResponseData describeGroups(DescribeGroupsRequestData request, short version) {
        if (closed) {
            DescribeGroupsResponseData response = new DescribeGroupsResponseData();
            request.groups().forEach(groupId -> response.groups().add(new DescribedGroup()
                    .setGroupId(groupId).setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())));
            return response;
        }
        return views.describe(request, version);
    }

    /**
     * Groups in memory plus groups that only have committed offsets (Empty), filtered by state
     * and type (case-insensitively, as Kafka does); every group is of type "classic".
     */
    public ListGroupsResponseData listGroups(ListGroupsRequestData request, short version) {
        if (closed) {
            return new ListGroupsResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        }
        return views.list(request);
    }

    // ---- lifecycle

    /**
     * Cancels every timer and answers parked JoinGroup and SyncGroup requests
     * COORDINATOR_NOT_AVAILABLE (their clients look for a coordinator again). Later calls answer
     * COORDINATOR_NOT_AVAILABLE too. Does not close the store or the scheduler.
     */
    @Override
    public void close() {
        closed = true;
        for (ClassicGroup group : groups.values()) {
            Completions done = new Completions();
            synchronized (group) {
                for (GroupMember member : group.members()) {
                    done.complete(member.takeJoinFuture(), Rebalancer.joinError(member.memberId(),
                            Errors.COORDINATOR_NOT_AVAILABLE));
                    done.complete(member.takeSyncFuture(), Rebalancer.syncError(Errors.COORDINATOR_NOT_AVAILABLE));
                }
                group.kill();
            }
            done.run();
        }
        groups.clear();
    }
}
