package dev.runnel.log.agent;

import dev.runnel.log.group.GroupCoordinator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * The group APIs: each request goes to the {@link GroupCoordinator} if this agent coordinates
 * the group, and is answered NOT_COORDINATOR otherwise, so the client looks the coordinator up
 * again. Offset commits and fetches touch the metadata store and run off the event loop.
 */
final class GroupHandlers {
    private final GroupCoordinator coordinator;
    private final ClusterView cluster;
    private final Executor metadataExecutor;

    GroupHandlers(GroupCoordinator coordinator, ClusterView cluster, Executor metadataExecutor) {
        this.coordinator = coordinator;
        this.cluster = cluster;
        this.metadataExecutor = metadataExecutor;
    }

    CompletableFuture<ApiMessage> joinGroup(RequestContext context, ApiMessage message) {
        JoinGroupRequestData request = (JoinGroupRequestData) message;
        if (!cluster.coordinates(request.groupId())) {
            return done(new JoinGroupResponseData().setErrorCode(Errors.NOT_COORDINATOR.code()).setMemberId(request.memberId()));
        }
        return coordinator.joinGroup(request, context.version(), context.clientId(), context.clientHost())
                .thenApply(ApiMessage.class::cast);
    }

    CompletableFuture<ApiMessage> syncGroup(RequestContext context, ApiMessage message) {
        SyncGroupRequestData request = (SyncGroupRequestData) message;
        if (!cluster.coordinates(request.groupId())) {
            return done(new SyncGroupResponseData().setErrorCode(Errors.NOT_COORDINATOR.code()));
        }
        return coordinator.syncGroup(request, context.version()).thenApply(ApiMessage.class::cast);
    }

    CompletableFuture<ApiMessage> heartbeat(RequestContext context, ApiMessage message) {
        HeartbeatRequestData request = (HeartbeatRequestData) message;
        if (!cluster.coordinates(request.groupId())) {
            return done(new HeartbeatResponseData().setErrorCode(Errors.NOT_COORDINATOR.code()));
        }
        return done(coordinator.heartbeat(request, context.version()));
    }

    CompletableFuture<ApiMessage> leaveGroup(RequestContext context, ApiMessage message) {
        LeaveGroupRequestData request = (LeaveGroupRequestData) message;
        if (!cluster.coordinates(request.groupId())) {
            return done(new LeaveGroupResponseData().setErrorCode(Errors.NOT_COORDINATOR.code()));
        }
        return done(coordinator.leaveGroup(request, context.version()));
    }

    CompletableFuture<ApiMessage> offsetCommit(RequestContext context, ApiMessage message) {
        var request = (org.apache.kafka.common.message.OffsetCommitRequestData) message;
        if (!cluster.coordinates(request.groupId())) {
            return done(NotCoordinator.offsetCommit(request));
        }
        return CompletableFuture.supplyAsync(() -> coordinator.commitOffsets(request, context.version()), metadataExecutor);
    }

    CompletableFuture<ApiMessage> offsetFetch(RequestContext context, ApiMessage message) {
        var request = (org.apache.kafka.common.message.OffsetFetchRequestData) message;
        if (!NotCoordinator.groupIds(request, context.version()).stream().allMatch(cluster::coordinates)) {
            return done(NotCoordinator.offsetFetch(request, context.version()));
        }
        return CompletableFuture.supplyAsync(() -> coordinator.fetchOffsets(request, context.version()), metadataExecutor);
    }

    CompletableFuture<ApiMessage> describeGroups(RequestContext context, ApiMessage message) {
        var request = (org.apache.kafka.common.message.DescribeGroupsRequestData) message;
        return CompletableFuture.supplyAsync(() -> coordinator.describeGroups(request, context.version()), metadataExecutor);
    }

    CompletableFuture<ApiMessage> listGroups(RequestContext context, ApiMessage message) {
        var request = (org.apache.kafka.common.message.ListGroupsRequestData) message;
        return CompletableFuture.supplyAsync(() -> {
            var response = coordinator.listGroups(request, context.version());
            // Every agent knows the groups that only have stored offsets; list each group on its coordinator only.
            response.groups().removeIf(group -> !cluster.coordinates(group.groupId()));
            return response;
        }, metadataExecutor);
    }

    private static CompletableFuture<ApiMessage> done(ApiMessage response) {
        return CompletableFuture.completedFuture(response);
    }
}
