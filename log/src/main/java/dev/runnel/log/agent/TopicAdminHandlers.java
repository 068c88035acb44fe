package dev.runnel.log.agent;

import dev.runnel.log.metadata.MetadataStore;
import dev.runnel.log.metadata.Topic;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** CreateTopics, DeleteTopics and DescribeConfigs. */
final class TopicAdminHandlers {
    private static final Logger log = LoggerFactory.getLogger(TopicAdminHandlers.class);
    /** A bound that keeps a typo from creating millions of partitions. */
    static final int MAX_PARTITIONS = 100_000;

    private final MetadataStore metadata;
    private final TopicResolver topics;
    private final Executor metadataExecutor;
    private final int defaultPartitions;

    TopicAdminHandlers(MetadataStore metadata, TopicResolver topics, Executor metadataExecutor, int defaultPartitions) {
        this.metadata = metadata;
        this.topics = topics;
        this.metadataExecutor = metadataExecutor;
        this.defaultPartitions = defaultPartitions;
    }

    CompletableFuture<ApiMessage> createTopics(RequestContext context, ApiMessage message) {
        CreateTopicsRequestData request = (CreateTopicsRequestData) message;
        return CompletableFuture.supplyAsync(() -> {
            CreateTopicsResponseData response = new CreateTopicsResponseData();
            for (CreateTopicsRequestData.CreatableTopic wanted : request.topics()) {
                response.topics().add(create(wanted, request.validateOnly()));
            }
            return response;
        }, metadataExecutor);
    }

    private CreateTopicsResponseData.CreatableTopicResult create(CreateTopicsRequestData.CreatableTopic wanted, boolean validateOnly) {
        CreateTopicsResponseData.CreatableTopicResult result = new CreateTopicsResponseData.CreatableTopicResult().setName(wanted.name());
        int partitions = wanted.numPartitions() == -1 ? defaultPartitions : wanted.numPartitions();
        Map<String, String> configs = new HashMap<>();
        wanted.configs().forEach(c -> configs.put(c.name(), c.value()));
        try {
            org.apache.kafka.common.internals.Topic.validate(wanted.name());
        } catch (InvalidTopicException e) {
            return result.setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code()).setErrorMessage(e.getMessage());
        }
        if (!wanted.assignments().isEmpty()) {
            return result.setErrorCode(Errors.INVALID_REQUEST.code())
                    .setErrorMessage("replica assignments mean nothing here: every agent serves every partition");
        }
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            return result.setErrorCode(Errors.INVALID_PARTITIONS.code())
                    .setErrorMessage("number of partitions must be between 1 and " + MAX_PARTITIONS + ": " + partitions);
        }
        Optional<String> badConfig = TopicConfigs.invalidReason(configs);
        if (badConfig.isPresent()) {
            return result.setErrorCode(Errors.INVALID_CONFIG.code()).setErrorMessage(badConfig.get());
        }
        try {
            if (validateOnly) {
                if (metadata.topic(wanted.name()).isPresent()) {
                    throw new TopicExistsException("topic " + wanted.name() + " already exists");
                }
            } else {
                Topic topic = metadata.createTopic(wanted.name(), partitions, configs);
                topics.invalidate(topic);
                result.setTopicId(topic.id());
                log.info("created topic {} with {} partitions", topic.name(), partitions);
            }
        } catch (TopicExistsException e) {
            return result.setErrorCode(Errors.TOPIC_ALREADY_EXISTS.code()).setErrorMessage("topic " + wanted.name() + " already exists");
        }
        result.setNumPartitions(partitions).setReplicationFactor(wanted.replicationFactor() == -1 ? 1 : wanted.replicationFactor());
        List<CreateTopicsResponseData.CreatableTopicConfigs> described = new ArrayList<>();
        TopicConfigs.DEFAULTS.forEach((name, defaultValue) -> described.add(new CreateTopicsResponseData.CreatableTopicConfigs()
                .setName(name).setValue(configs.getOrDefault(name, defaultValue)).setReadOnly(false)
                .setConfigSource(source(configs, name)).setIsSensitive(false)));
        return result.setConfigs(described);
    }

    CompletableFuture<ApiMessage> deleteTopics(RequestContext context, ApiMessage message) {
        DeleteTopicsRequestData request = (DeleteTopicsRequestData) message;
        return CompletableFuture.supplyAsync(() -> {
            DeleteTopicsResponseData response = new DeleteTopicsResponseData();
            if (context.version() < 6) {
                request.topicNames().forEach(name -> response.responses().add(delete(name, null)));
            } else {
                request.topics().forEach(t -> response.responses().add(delete(t.name(), t.topicId())));
            }
            return response;
        }, metadataExecutor);
    }

    private DeleteTopicsResponseData.DeletableTopicResult delete(String name, org.apache.kafka.common.Uuid id) {
        DeleteTopicsResponseData.DeletableTopicResult result = new DeleteTopicsResponseData.DeletableTopicResult().setName(name);
        Optional<Topic> topic = name != null ? metadata.topic(name) : metadata.topic(id);
        if (topic.isEmpty() || !metadata.deleteTopic(topic.get().name())) {
            return result.setErrorCode((name != null ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.UNKNOWN_TOPIC_ID).code());
        }
        topics.invalidate(topic.get());
        log.info("deleted topic {}", topic.get().name());
        return result.setName(topic.get().name()).setTopicId(topic.get().id());
    }

    CompletableFuture<ApiMessage> describeConfigs(RequestContext context, ApiMessage message) {
        DescribeConfigsRequestData request = (DescribeConfigsRequestData) message;
        return CompletableFuture.supplyAsync(() -> {
            DescribeConfigsResponseData response = new DescribeConfigsResponseData();
            for (DescribeConfigsRequestData.DescribeConfigsResource resource : request.resources()) {
                DescribeConfigsResponseData.DescribeConfigsResult result = new DescribeConfigsResponseData.DescribeConfigsResult()
                        .setResourceType(resource.resourceType()).setResourceName(resource.resourceName());
                response.results().add(result);
                Map<String, String> set;
                if (resource.resourceType() == ConfigResource.Type.TOPIC.id()) {
                    Optional<Topic> topic = metadata.topic(resource.resourceName());
                    if (topic.isEmpty()) {
                        result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                                .setErrorMessage("topic " + resource.resourceName() + " does not exist");
                        continue;
                    }
                    set = topic.get().configs();
                } else if (resource.resourceType() == ConfigResource.Type.BROKER.id()) {
                    set = Map.of();
                } else {
                    result.setErrorCode(Errors.INVALID_REQUEST.code())
                            .setErrorMessage("only TOPIC and BROKER configs can be described");
                    continue;
                }
                TopicConfigs.DEFAULTS.forEach((name, defaultValue) -> {
                    if (resource.configurationKeys() == null || resource.configurationKeys().contains(name)) {
                        result.configs().add(new DescribeConfigsResponseData.DescribeConfigsResourceResult()
                                .setName(name).setValue(set.getOrDefault(name, defaultValue)).setReadOnly(false)
                                .setConfigSource(source(set, name)).setIsSensitive(false));
                    }
                });
            }
            return response;
        }, metadataExecutor);
    }

    private static byte source(Map<String, String> set, String name) {
        return set.containsKey(name) ? DescribeConfigsResponse.ConfigSource.TOPIC_CONFIG.id()
                : DescribeConfigsResponse.ConfigSource.DEFAULT_CONFIG.id();
    }
}
