package dev.runnel.log.group;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;

/**
 * One member of a classic group: who it is, what it supports, what it was assigned and the
 * JoinGroup or SyncGroup request it has parked, if any. Guarded by its group's lock.
 */
final class GroupMember {
    static final byte[] EMPTY_BYTES = new byte[0];

    /** One protocol a member supports, with its opaque metadata (for consumers, the subscription). */
    record Protocol(String name, byte[] metadata) {
        boolean sameAs(Protocol other) {
            return name.equals(other.name) && Arrays.equals(metadata, other.metadata);
        }
    }

    private final String memberId;
    private final String groupInstanceId;
    private final String clientId;
    private final String clientHost;
    private final String protocolType;
    private int sessionTimeoutMs;
    private int rebalanceTimeoutMs;
    private List<Protocol> protocols;
    private byte[] assignment = EMPTY_BYTES;
    private CompletableFuture<JoinGroupResponseData> joinFuture;
    private CompletableFuture<SyncGroupResponseData> syncFuture;

    GroupMember(String memberId, String groupInstanceId, String clientId, String clientHost, String protocolType,
            int sessionTimeoutMs, int rebalanceTimeoutMs, List<Protocol> protocols) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.protocolType = protocolType;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.protocols = List.copyOf(protocols);
    }

    /** The protocols of a JoinGroup request, in the member's order of preference. */
    static List<Protocol> protocolsOf(Iterable<JoinGroupRequestProtocol> requested) {
        List<Protocol> result = new ArrayList<>();
        for (JoinGroupRequestProtocol protocol : requested) {
            result.add(new Protocol(protocol.name(), protocol.metadata()));
        }
        return Collections.unmodifiableList(result);
    }

    String memberId() {
        return memberId;
    }

    /** The static member's instance id, or null for a dynamic member. */
    String groupInstanceId() {
        return groupInstanceId;
    }

    String clientId() {
        return clientId;
    }

    String clientHost() {
        return clientHost;
    }

    String protocolType() {
        return protocolType;
    }

    int sessionTimeoutMs() {
        return sessionTimeoutMs;
    }

    int rebalanceTimeoutMs() {
        return rebalanceTimeoutMs;
    }

    List<Protocol> protocols() {
        return protocols;
    }

    /** Whether {@code other} lists the same protocols with the same metadata in the same order. */
    boolean matches(List<Protocol> other) {
        if (other.size() != protocols.size()) {
            return false;
        }
        for (int i = 0; i < other.size(); i++) {
            if (!protocols.get(i).sameAs(other.get(i))) {
                return false;
            }
        }
        return true;
    }

    boolean supports(String protocolName) {
        return protocols.stream().anyMatch(p -> p.name().equals(protocolName));
    }

    /** The member's most preferred protocol among {@code candidates}. */
    String vote(Set<String> candidates) {
        for (Protocol protocol : protocols) {
            if (candidates.contains(protocol.name())) {
                return protocol.name();
            }
        }
        throw new IllegalStateException("member " + memberId + " supports none of " + candidates);
    }

    /** The member's metadata for {@code protocolName}; empty if it does not support it. */
    byte[] metadata(String protocolName) {
        for (Protocol protocol : protocols) {
            if (protocol.name().equals(protocolName)) {
                return protocol.metadata();
            }
        }
        return EMPTY_BYTES;
    }

    /** Takes the timeouts and protocols of a rejoin. */
    void update(int sessionTimeoutMs, int rebalanceTimeoutMs, List<Protocol> protocols) {
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.protocols = List.copyOf(protocols);
    }

    byte[] assignment() {
        return assignment;
    }

    void assignment(byte[] assignment) {
        this.assignment = assignment == null ? EMPTY_BYTES : assignment;
    }

    boolean isAwaitingJoin() {
        return joinFuture != null;
    }

    boolean isAwaitingSync() {
        return syncFuture != null;
    }

    /** Parks a JoinGroup and returns the one it replaces (null if none). */
    CompletableFuture<JoinGroupResponseData> awaitJoin(CompletableFuture<JoinGroupResponseData> future) {
        CompletableFuture<JoinGroupResponseData> previous = joinFuture;
        joinFuture = future;
        return previous;
    }

    /** Un-parks the JoinGroup (null if none) so that the caller answers it. */
    CompletableFuture<JoinGroupResponseData> takeJoinFuture() {
        CompletableFuture<JoinGroupResponseData> future = joinFuture;
        joinFuture = null;
        return future;
    }

    /** Parks a SyncGroup and returns the one it replaces (null if none). */
    CompletableFuture<SyncGroupResponseData> awaitSync(CompletableFuture<SyncGroupResponseData> future) {
        CompletableFuture<SyncGroupResponseData> previous = syncFuture;
        syncFuture = future;
        return previous;
    }

    /** Un-parks the SyncGroup (null if none) so that the caller answers it. */
    CompletableFuture<SyncGroupResponseData> takeSyncFuture() {
        CompletableFuture<SyncGroupResponseData> future = syncFuture;
        syncFuture = null;
        return future;
    }

    @Override
    public String toString() {
        return groupInstanceId == null ? memberId : memberId + " (instance " + groupInstanceId + ")";
    }
}
