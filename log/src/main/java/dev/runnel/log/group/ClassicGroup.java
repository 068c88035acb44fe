package dev.runnel.log.group;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.protocol.Errors;

/**
 * The in-memory state of one classic group: its state, generation, selected protocol, leader,
 * members, the members that were handed an id but have not joined with it yet, and the members
 * whose SyncGroup is still awaited. It only keeps the bookkeeping consistent; the decisions of a
 * rebalance are {@link Rebalancer}'s.
 *
 * <p>The group object is also its own lock: every read and write happens in
 * {@code synchronized (group)}.
 */
final class ClassicGroup {
    private final String groupId;
    private final GroupTimers timers;
    private final Map<String, GroupMember> members = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    private final Set<String> pendingMembers = new HashSet<>();
    private final Set<String> pendingSyncMembers = new HashSet<>();
    private GroupState state = GroupState.EMPTY;
    private int generationId;
    private String protocolType;
    private String protocolName;
    private String leaderId;
    private boolean initialRebalance;
    private boolean newMemberAdded;

    ClassicGroup(String groupId, ScheduledExecutorService scheduler) {
        this.groupId = groupId;
        this.timers = new GroupTimers(scheduler, this);
    }

    String groupId() {
        return groupId;
    }

    GroupTimers timers() {
        return timers;
    }

    GroupState state() {
        return state;
    }

    boolean is(GroupState state) {
        return this.state == state;
    }

    void transitionTo(GroupState next) {
        EnumSet<GroupState> from = switch (next) {
            case EMPTY -> EnumSet.of(GroupState.PREPARING_REBALANCE);
            case PREPARING_REBALANCE -> EnumSet.of(GroupState.EMPTY, GroupState.STABLE, GroupState.COMPLETING_REBALANCE);
            case COMPLETING_REBALANCE -> EnumSet.of(GroupState.PREPARING_REBALANCE);
            case STABLE -> EnumSet.of(GroupState.COMPLETING_REBALANCE);
            case DEAD -> EnumSet.allOf(GroupState.class);
        };
        if (!from.contains(state)) {
            throw new IllegalStateException("group " + groupId + " cannot go from " + state + " to " + next);
        }
        state = next;
    }

    int generationId() {
        return generationId;
    }

    /** The protocol type the members share ("consumer" for consumers); null before the first member. */
    String protocolType() {
        return protocolType;
    }

    /** The protocol selected for the current generation; null while the group is Empty. */
    String protocolName() {
        return protocolName;
    }

    String leaderId() {
        return leaderId;
    }

    boolean isLeader(String memberId) {
        return memberId.equals(leaderId);
    }

    // ---- members

    Collection<GroupMember> members() {
        return Collections.unmodifiableCollection(members.values());
    }

    GroupMember member(String memberId) {
        return members.get(memberId);
    }

    boolean hasMember(String memberId) {
        return members.containsKey(memberId);
    }

    boolean hasNoMembers() {
        return members.isEmpty();
    }

    /** The member id the static member {@code groupInstanceId} holds, or null. */
    String staticMemberId(String groupInstanceId) {
        return staticMembers.get(groupInstanceId);
    }

    void add(GroupMember member) {
        if (members.isEmpty()) {
            protocolType = member.protocolType();
        }
        members.put(member.memberId(), member);
        if (member.groupInstanceId() != null) {
            staticMembers.put(member.groupInstanceId(), member.memberId());
        }
        if (leaderId == null) {
            leaderId = member.memberId();
        }
        pendingMembers.remove(member.memberId());
    }

    /** Removes a member (the first remaining member becomes leader if it led); null if unknown. */
    GroupMember remove(String memberId) {
        GroupMember removed = members.remove(memberId);
        if (removed != null && removed.groupInstanceId() != null) {
            staticMembers.remove(removed.groupInstanceId(), memberId);
        }
        if (memberId.equals(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
        pendingMembers.remove(memberId);
        pendingSyncMembers.remove(memberId);
        return removed;
    }

    /**
     * Checks that a request of {@code memberId} (and {@code groupInstanceId}, if static) comes from
     * a current member: UNKNOWN_MEMBER_ID if not, FENCED_INSTANCE_ID if the instance id now
     * belongs to another member id.
     */
    Errors validateMember(String memberId, String groupInstanceId) {
        if (groupInstanceId != null) {
            String current = staticMembers.get(groupInstanceId);
            if (current == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (!current.equals(memberId)) {
                return Errors.FENCED_INSTANCE_ID;
            }
        }
        return members.containsKey(memberId) ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
    }

    // ---- members that were given an id (MEMBER_ID_REQUIRED) but have not joined with it yet

    void addPendingMember(String memberId) {
        pendingMembers.add(memberId);
    }

    boolean isPendingMember(String memberId) {
        return pendingMembers.contains(memberId);
    }

    boolean hasPendingMembers() {
        return !pendingMembers.isEmpty();
    }

    boolean removePendingMember(String memberId) {
        return pendingMembers.remove(memberId);
    }

    // ---- members whose SyncGroup is awaited after a join phase

    void awaitSyncFromAllMembers() {
        pendingSyncMembers.clear();
        pendingSyncMembers.addAll(members.keySet());
    }

    /** Marks the member as synced; true if no SyncGroup is awaited any more. */
    boolean synced(String memberId) {
        pendingSyncMembers.remove(memberId);
        return pendingSyncMembers.isEmpty();
    }

    Set<String> pendingSyncMembers() {
        return Set.copyOf(pendingSyncMembers);
    }

    void clearPendingSyncMembers() {
        pendingSyncMembers.clear();
    }

    // ---- rebalance bookkeeping

    /** Whether every member has a JoinGroup parked and every handed-out id has joined. */
    boolean hasAllMembersJoined() {
        return pendingMembers.isEmpty() && members.values().stream().allMatch(GroupMember::isAwaitingJoin);
    }

    List<GroupMember> notYetRejoinedMembers() {
        List<GroupMember> result = new ArrayList<>();
        for (GroupMember member : members.values()) {
            if (!member.isAwaitingJoin()) {
                result.add(member);
            }
        }
        return result;
    }

    /** The longest rebalance timeout of the members: how long a join or sync phase may last. */
    int rebalanceTimeoutMs() {
        int max = 0;
        for (GroupMember member : members.values()) {
            max = Math.max(max, member.rebalanceTimeoutMs());
        }
        return max;
    }

    /** True while the first rebalance after Empty runs (it waits the initial delay). */
    boolean initialRebalance() {
        return initialRebalance;
    }

    void initialRebalance(boolean value) {
        initialRebalance = value;
        newMemberAdded = false;
    }

    boolean newMemberAdded() {
        return newMemberAdded;
    }

    void newMemberAdded(boolean value) {
        newMemberAdded = value;
    }

    /**
     * Whether a member of {@code type} supporting {@code names} may join: any non-empty type and
     * protocol list for a group without members, otherwise the group's type and at least one
     * protocol every member supports.
     */
    boolean supportsProtocols(String type, Collection<String> names) {
        if (members.isEmpty()) {
            return type != null && !type.isEmpty() && !names.isEmpty();
        }
        if (!type.equals(protocolType)) {
            return false;
        }
        Set<String> candidates = candidateProtocols();
        return names.stream().anyMatch(candidates::contains);
    }

    /**
     * Starts the next generation: with members it selects their protocol and awaits the leader's
     * assignment (CompletingRebalance), without members it becomes Empty.
     */
    void initNextGeneration() {
        generationId++;
        initialRebalance(false);
        if (members.isEmpty()) {
            protocolName = null;
            transitionTo(GroupState.EMPTY);
        } else {
            protocolName = selectProtocol();
            transitionTo(GroupState.COMPLETING_REBALANCE);
        }
    }

    /**
     * Among the protocols every member supports, the one most members prefer (each member votes
     * for its first supported candidate); ties go to the protocol the earliest member voted for.
     */
    private String selectProtocol() {
        Set<String> candidates = candidateProtocols();
        Map<String, Integer> votes = new LinkedHashMap<>();
        for (GroupMember member : members.values()) {
            votes.merge(member.vote(candidates), 1, Integer::sum);
        }
        String selected = null;
        int best = 0;
        for (Map.Entry<String, Integer> entry : votes.entrySet()) {
            if (entry.getValue() > best) {
                selected = entry.getKey();
                best = entry.getValue();
            }
        }
        return selected;
    }

    private Set<String> candidateProtocols() {
        Set<String> candidates = null;
        for (GroupMember member : members.values()) {
            Set<String> names = new HashSet<>();
            member.protocols().forEach(p -> names.add(p.name()));
            if (candidates == null) {
                candidates = names;
            } else {
                candidates.retainAll(names);
            }
        }
        return candidates == null ? Set.of() : candidates;
    }

    /** Forgets everything when the group is dropped or the coordinator closes; later requests see Dead. */
    void kill() {
        timers.cancelAll();
        members.clear();
        staticMembers.clear();
        pendingMembers.clear();
        pendingSyncMembers.clear();
        leaderId = null;
        protocolName = null;
        transitionTo(GroupState.DEAD);
    }
}
