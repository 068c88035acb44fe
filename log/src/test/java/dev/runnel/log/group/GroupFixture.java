package dev.runnel.log.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.protocol.Readable;

/**
 * A coordinator on a manual clock and scheduler, with helpers that send requests the way a
 * client at a given version would: every request and response goes through the wire format of
 * its version, so a field the version cannot carry fails the test.
 */
final class GroupFixture implements AutoCloseable {
    static final int SESSION_MS = 10_000;
    static final int REBALANCE_MS = 30_000;
    static final long DELAY_MS = 100;
    static final short JOIN_V = GroupCoordinator.maxVersion(ApiKeys.JOIN_GROUP);
    static final short SYNC_V = GroupCoordinator.maxVersion(ApiKeys.SYNC_GROUP);
    static final short HEARTBEAT_V = GroupCoordinator.maxVersion(ApiKeys.HEARTBEAT);
    static final short LEAVE_V = GroupCoordinator.maxVersion(ApiKeys.LEAVE_GROUP);
    static final short DESCRIBE_V = GroupCoordinator.maxVersion(ApiKeys.DESCRIBE_GROUPS);
    static final String CLIENT_ID = "client";
    static final String CLIENT_HOST = "/10.0.0.7";

    final ManualTime time = new ManualTime();
    final ManualScheduler scheduler = new ManualScheduler(time);
    final InMemoryMetadataStore store = new InMemoryMetadataStore();
    final GroupCoordinator coordinator;

    GroupFixture() {
        this(GroupConfig.DEFAULT.withInitialRebalanceDelayMs(DELAY_MS));
    }

    GroupFixture(GroupConfig config) {
        coordinator = new GroupCoordinator(store, time, scheduler, config);
    }

    /** The message as the other side reads it after writing it at {@code version}. */
    static <T extends ApiMessage> T wire(T message, short version, BiFunction<Readable, Short, T> reader) {
        return reader.apply(MessageUtil.toByteBufferAccessor(message, version), version);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Errors error(short code) {
        return Errors.forCode(code);
    }

    /** Protocols whose metadata is "name:tag", in preference order. */
    static JoinGroupRequestProtocolCollection protocols(String tag, String... names) {
        JoinGroupRequestProtocolCollection result = new JoinGroupRequestProtocolCollection();
        for (String name : names) {
            result.add(new JoinGroupRequestProtocol().setName(name).setMetadata(bytes(name + ":" + tag)));
        }
        return result;
    }

    static JoinGroupRequestData joinRequest(String groupId, String memberId) {
        return new JoinGroupRequestData()
                .setGroupId(groupId)
                .setMemberId(memberId)
                .setSessionTimeoutMs(SESSION_MS)
                .setRebalanceTimeoutMs(REBALANCE_MS)
                .setProtocolType("consumer")
                .setProtocols(protocols(memberId, "range"));
    }

    CompletableFuture<JoinGroupResponseData> join(JoinGroupRequestData request, short version) {
        return coordinator.joinGroup(wire(request, version, JoinGroupRequestData::new), version, CLIENT_ID, CLIENT_HOST)
                .thenApply(response -> wire(response, version, JoinGroupResponseData::new));
    }

    /** The first JoinGroup of a new dynamic member: answered MEMBER_ID_REQUIRED with its id. */
    String memberIdRequired(String groupId) {
        JoinGroupResponseData response = join(joinRequest(groupId, ""), JOIN_V).join();
        assertThat(error(response.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        assertThat(response.memberId()).startsWith(CLIENT_ID + "-");
        return response.memberId();
    }

    CompletableFuture<JoinGroupResponseData> rejoin(String groupId, String memberId) {
        return join(joinRequest(groupId, memberId), JOIN_V);
    }

    CompletableFuture<SyncGroupResponseData> sync(String groupId, String memberId, int generation,
            Map<String, byte[]> assignments) {
        SyncGroupRequestData request = new SyncGroupRequestData()
                .setGroupId(groupId)
                .setMemberId(memberId)
                .setGenerationId(generation)
                .setProtocolType("consumer")
                .setProtocolName("range");
        assignments.forEach((member, assignment) ->
                request.assignments().add(new SyncGroupRequestAssignment().setMemberId(member).setAssignment(assignment)));
        return coordinator.syncGroup(wire(request, SYNC_V, SyncGroupRequestData::new), SYNC_V)
                .thenApply(response -> wire(response, SYNC_V, SyncGroupResponseData::new));
    }

    Errors heartbeat(String groupId, String memberId, int generation) {
        return heartbeat(new HeartbeatRequestData().setGroupId(groupId).setMemberId(memberId).setGenerationId(generation));
    }

    Errors heartbeat(HeartbeatRequestData request) {
        HeartbeatResponseData response = coordinator.heartbeat(wire(request, HEARTBEAT_V, HeartbeatRequestData::new), HEARTBEAT_V);
        return error(wire(response, HEARTBEAT_V, HeartbeatResponseData::new).errorCode());
    }

    LeaveGroupResponseData leave(String groupId, short version, String... memberIds) {
        LeaveGroupRequestData request = new LeaveGroupRequestData().setGroupId(groupId);
        if (version >= 3) {
            for (String memberId : memberIds) {
                request.members().add(new MemberIdentity().setMemberId(memberId));
            }
        } else {
            request.setMemberId(memberIds[0]);
        }
        LeaveGroupResponseData response = coordinator.leaveGroup(wire(request, version, LeaveGroupRequestData::new), version);
        return wire(response, version, LeaveGroupResponseData::new);
    }

    DescribedGroup describe(String groupId) {
        DescribeGroupsRequestData request = new DescribeGroupsRequestData().setGroups(List.of(groupId));
        DescribeGroupsResponseData response = coordinator.describeGroups(
                wire(request, DESCRIBE_V, DescribeGroupsRequestData::new), DESCRIBE_V);
        return wire(response, DESCRIBE_V, DescribeGroupsResponseData::new).groups().get(0);
    }

    /** A generation as its members saw it. */
    record Generation(int generationId, String leader, List<String> members) {
        List<String> followers() {
            return members.stream().filter(m -> !m.equals(leader)).toList();
        }
    }

    static byte[] assignmentOf(String memberId) {
        return bytes("assignment-of-" + memberId);
    }

    /** Forms a Stable group of {@code size} new members, each with its assignment. */
    Generation stableGroup(String groupId, int size) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ids.add(memberIdRequired(groupId));
        }
        List<CompletableFuture<JoinGroupResponseData>> joins = ids.stream().map(id -> rejoin(groupId, id)).toList();
        advanceUntilDone(joins);
        Generation generation = generationOf(joins);
        assertThat(generation.members()).containsExactlyInAnyOrderElementsOf(ids);
        syncAll(groupId, generation);
        assertThat(describe(groupId).groupState()).isEqualTo("Stable");
        return generation;
    }

    /** Advances the clock in steps of the initial delay until every future is done (at most 100 steps). */
    void advanceUntilDone(List<? extends CompletableFuture<?>> futures) {
        for (int i = 0; i < 100 && !futures.stream().allMatch(CompletableFuture::isDone); i++) {
            scheduler.advance(DELAY_MS);
        }
    }

    /** The generation every completed JoinGroup agrees on. */
    static Generation generationOf(List<CompletableFuture<JoinGroupResponseData>> joins) {
        assertThat(joins).allSatisfy(f -> assertThat(f).isDone());
        List<JoinGroupResponseData> responses = joins.stream().map(CompletableFuture::join).toList();
        assertThat(responses).allSatisfy(r -> assertThat(error(r.errorCode())).isEqualTo(Errors.NONE));
        JoinGroupResponseData first = responses.get(0);
        assertThat(responses).allSatisfy(r -> {
            assertThat(r.generationId()).isEqualTo(first.generationId());
            assertThat(r.leader()).isEqualTo(first.leader());
            assertThat(r.protocolName()).isEqualTo(first.protocolName());
        });
        JoinGroupResponseData leader = responses.stream().filter(r -> r.memberId().equals(r.leader())).findFirst().orElseThrow();
        assertThat(responses).filteredOn(r -> r != leader).allSatisfy(r -> assertThat(r.members()).isEmpty());
        List<String> members = leader.members().stream().map(JoinGroupResponseData.JoinGroupResponseMember::memberId).toList();
        return new Generation(first.generationId(), first.leader(), members);
    }

    /** The leader syncs with one assignment per member, then the followers; all get theirs. */
    void syncAll(String groupId, Generation generation) {
        Map<String, byte[]> assignments = new java.util.HashMap<>();
        generation.members().forEach(m -> assignments.put(m, assignmentOf(m)));
        SyncGroupResponseData leader = sync(groupId, generation.leader(), generation.generationId(), assignments).join();
        assertThat(error(leader.errorCode())).isEqualTo(Errors.NONE);
        assertThat(leader.assignment()).isEqualTo(assignmentOf(generation.leader()));
        for (String follower : generation.followers()) {
            SyncGroupResponseData response = sync(groupId, follower, generation.generationId(), Map.of()).join();
            assertThat(error(response.errorCode())).isEqualTo(Errors.NONE);
            assertThat(response.assignment()).isEqualTo(assignmentOf(follower));
            assertThat(response.protocolName()).isEqualTo("range");
        }
    }

    static List<String> list(String... values) {
        return Arrays.asList(values);
    }

    @Override
    public void close() {
        coordinator.close();
    }
}
