package dev.runnel.log.agent;

import dev.runnel.log.metadata.AgentInfo;
import dev.runnel.log.metadata.MetadataStore;
import dev.runnel.log.metadata.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest;

/** ApiVersions, Metadata, DescribeCluster and FindCoordinator: what the cluster looks like. */
final class ClusterHandlers {
    static final String CLUSTER_ID = "runnel";

    private final ClusterView cluster;
    private final TopicResolver topics;
    private final MetadataStore metadata;
    private final ApiVersionsTable versions;
    private final Executor metadataExecutor;
    private final AutoCreate autoCreate;

    /** Whether a Metadata request for an unknown topic creates it, and with how many partitions. */
    record AutoCreate(boolean enabled, int partitions) {
    }

    ClusterHandlers(ClusterView cluster, TopicResolver topics, MetadataStore metadata, ApiVersionsTable versions,
                    Executor metadataExecutor, AutoCreate autoCreate) {
        this.cluster = cluster;
        this.topics = topics;
        this.metadata = metadata;
        this.versions = versions;
        this.metadataExecutor = metadataExecutor;
        this.autoCreate = autoCreate;
    }

    CompletableFuture<ApiMessage> apiVersions(RequestContext context, ApiMessage request) {
        ApiVersionsResponseData response = new ApiVersionsResponseData().setApiKeys(versions.toResponse());
        if (!versions.supports(context.header().apiKey(), context.version())) {
            response.setErrorCode(Errors.UNSUPPORTED_VERSION.code());
        }
        return CompletableFuture.completedFuture(response);
    }

    CompletableFuture<ApiMessage> metadata(RequestContext context, ApiMessage message) {
        MetadataRequestData request = (MetadataRequestData) message;
        return CompletableFuture.supplyAsync(() -> {
            MetadataResponseData response = new MetadataResponseData()
                    .setClusterId(CLUSTER_ID)
                    .setControllerId(cluster.nodeId());
            for (AgentInfo agent : cluster.liveAgents()) {
                response.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                        .setNodeId(agent.nodeId()).setHost(agent.host()).setPort(agent.port()).setRack(agent.zone()));
            }
            if (request.topics() == null) {
                metadata.topics().forEach(topic -> response.topics().add(describe(topic)));
            } else {
                boolean create = autoCreate.enabled() && request.allowAutoTopicCreation();
                for (MetadataRequestData.MetadataRequestTopic wanted : request.topics()) {
                    response.topics().add(describe(wanted, create));
                }
            }
            return response;
        }, metadataExecutor);
    }

    private MetadataResponseData.MetadataResponseTopic describe(MetadataRequestData.MetadataRequestTopic wanted, boolean create) {
        Optional<Topic> topic = wanted.name() != null ? topics.byName(wanted.name()) : topics.byId(wanted.topicId());
        if (topic.isEmpty() && create && wanted.name() != null) {
            topic = createForMetadata(wanted.name());
        }
        if (topic.isPresent()) {
            return describe(topic.get());
        }
        Errors error = wanted.name() == null ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
        return new MetadataResponseData.MetadataResponseTopic()
                .setErrorCode(error.code()).setName(wanted.name()).setTopicId(wanted.topicId());
    }

    private Optional<Topic> createForMetadata(String name) {
        if (!org.apache.kafka.common.internals.Topic.isValid(name)) {
            return Optional.empty();
        }
        try {
            Topic created = metadata.createTopic(name, autoCreate.partitions(), java.util.Map.of());
            topics.invalidate(created);
            return Optional.of(created);
        } catch (TopicExistsException raced) {
            topics.invalidate(name);
            return topics.byName(name);
        }
    }

    private MetadataResponseData.MetadataResponseTopic describe(Topic topic) {
        MetadataResponseData.MetadataResponseTopic out = new MetadataResponseData.MetadataResponseTopic()
                .setName(topic.name()).setTopicId(topic.id()).setIsInternal(false);
        List<Integer> self = List.of(cluster.nodeId());
        for (int p = 0; p < topic.partitionCount(); p++) {
            out.partitions().add(new MetadataResponseData.MetadataResponsePartition()
                    .setPartitionIndex(p)
                    .setLeaderId(cluster.nodeId())
                    .setLeaderEpoch(0)
                    .setReplicaNodes(self)
                    .setIsrNodes(self)
                    .setOfflineReplicas(new ArrayList<>()));
        }
        return out;
    }

    CompletableFuture<ApiMessage> describeCluster(RequestContext context, ApiMessage message) {
        DescribeClusterRequestData request = (DescribeClusterRequestData) message;
        DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setClusterId(CLUSTER_ID)
                .setControllerId(cluster.nodeId())
                .setEndpointType(request.endpointType());
        for (AgentInfo agent : cluster.liveAgents()) {
            response.brokers().add(new DescribeClusterResponseData.DescribeClusterBroker()
                    .setBrokerId(agent.nodeId()).setHost(agent.host()).setPort(agent.port()).setRack(agent.zone()));
        }
        return CompletableFuture.completedFuture(response);
    }

    CompletableFuture<ApiMessage> findCoordinator(RequestContext context, ApiMessage message) {
        FindCoordinatorRequestData request = (FindCoordinatorRequestData) message;
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        List<String> keys = context.version() >= 4 ? request.coordinatorKeys() : List.of(request.key());
        for (String key : keys) {
            FindCoordinatorResponseData.Coordinator coordinator = new FindCoordinatorResponseData.Coordinator().setKey(key);
            if (request.keyType() != FindCoordinatorRequest.CoordinatorType.GROUP.id()) {
                coordinator.setErrorCode(Errors.INVALID_REQUEST.code()).setNodeId(-1).setHost("").setPort(-1)
                        .setErrorMessage("Runnel coordinates consumer groups only; transactions and share groups are not supported");
            } else {
                AgentInfo agent = cluster.coordinatorFor(key);
                coordinator.setNodeId(agent.nodeId()).setHost(agent.host()).setPort(agent.port());
            }
            response.coordinators().add(coordinator);
        }
        if (context.version() < 4) {
            FindCoordinatorResponseData.Coordinator only = response.coordinators().get(0);
            response = new FindCoordinatorResponseData().setErrorCode(only.errorCode()).setErrorMessage(only.errorMessage())
                    .setNodeId(only.nodeId()).setHost(only.host()).setPort(only.port());
        }
        return CompletableFuture.completedFuture(response);
    }
}
