package dev.runnel.log.group;

import dev.runnel.log.metadata.CommittedOffset;
import dev.runnel.log.metadata.MetadataStore;
import dev.runnel.log.metadata.MetadataStoreException;
import dev.runnel.log.metadata.Topic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartition;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopic;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Time;

/**
 * OffsetCommit and OffsetFetch over the {@link MetadataStore}, in the shape of each request
 * version: topics by name up to version 9 and by id from version 10, one group at top level up
 * to OffsetFetch version 7 and a list of groups from version 8. Whether the committing member
 * may commit is decided by the caller and passed in as a group-level error.
 *
 * <p>Unknown topics and partitions answer UNKNOWN_TOPIC_OR_PARTITION (UNKNOWN_TOPIC_ID for an
 * unknown id), as Kafka's broker does; a failing store answers COORDINATOR_NOT_AVAILABLE, which
 * clients retry. Partitions without a commit fetch as offset -1.
 */
final class OffsetRequests {
    private static final int NO_OFFSET = -1;
    private static final int NO_EPOCH = -1;
    private static final String NO_METADATA = "";

    private final MetadataStore store;
    private final Time time;
    private final int maxMetadataBytes;

    OffsetRequests(MetadataStore store, Time time, int maxMetadataBytes) {
        this.store = store;
        this.time = time;
        this.maxMetadataBytes = maxMetadataBytes;
    }

    // ---- OffsetCommit

    /**
     * Stores the request's offsets unless {@code groupError} (the verdict on the committing
     * member) rejects them all.
     */
    OffsetCommitResponseData commit(OffsetCommitRequestData request, short version, Errors groupError) {
        boolean byId = version >= 10;
        long now = time.milliseconds();
        Map<TopicPartition, CommittedOffset> offsets = new LinkedHashMap<>();
        List<OffsetCommitResponsePartition> stored = new ArrayList<>();
        OffsetCommitResponseData response = new OffsetCommitResponseData();

        for (OffsetCommitRequestTopic requestTopic : request.topics()) {
            OffsetCommitResponseTopic responseTopic = new OffsetCommitResponseTopic();
            if (byId) {
                responseTopic.setTopicId(requestTopic.topicId());
            } else {
                responseTopic.setName(requestTopic.name());
            }
            Topic topic = null;
            Errors topicError;
            try {
                topic = (byId ? store.topic(requestTopic.topicId()) : store.topic(requestTopic.name())).orElse(null);
                topicError = topic != null ? groupError
                        : byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
            } catch (MetadataStoreException e) {
                topicError = Errors.COORDINATOR_NOT_AVAILABLE;
            }
            for (OffsetCommitRequestPartition partition : requestTopic.partitions()) {
                Errors error = topicError;
                if (error == Errors.NONE && !hasPartition(topic, partition.partitionIndex())) {
                    error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
                } else if (error == Errors.NONE && partition.committedMetadata() != null
                        && partition.committedMetadata().length() > maxMetadataBytes) {
                    error = Errors.OFFSET_METADATA_TOO_LARGE;
                }
                OffsetCommitResponsePartition responsePartition = new OffsetCommitResponsePartition()
                        .setPartitionIndex(partition.partitionIndex())
                        .setErrorCode(error.code());
                responseTopic.partitions().add(responsePartition);
                if (error == Errors.NONE) {
                    String metadata = partition.committedMetadata() == null ? NO_METADATA : partition.committedMetadata();
                    offsets.put(new TopicPartition(topic.name(), partition.partitionIndex()),
                            new CommittedOffset(partition.committedOffset(), partition.committedLeaderEpoch(), metadata, now));
                    stored.add(responsePartition);
                }
            }
            response.topics().add(responseTopic);
        }

        if (!offsets.isEmpty()) {
            try {
                store.commitOffsets(request.groupId(), offsets);
            } catch (MetadataStoreException e) {
                stored.forEach(p -> p.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code()));
            }
        }
        return response;
    }

    private static boolean hasPartition(Topic topic, int partition) {
        return partition >= 0 && partition < topic.partitionCount();
    }

    // ---- OffsetFetch

    /**
     * The committed offsets of the requested groups; {@code unavailable} answers every group
     * COORDINATOR_NOT_AVAILABLE (the coordinator is closing).
     */
    OffsetFetchResponseData fetch(OffsetFetchRequestData request, short version, boolean unavailable) {
        OffsetFetchResponseData response = new OffsetFetchResponseData();
        if (version >= 8) {
            for (OffsetFetchRequestGroup group : request.groups()) {
                response.groups().add(fetchGroup(group.groupId(), group.topics(), version, unavailable));
            }
            return response;
        }

        List<OffsetFetchRequestTopics> topics = null;
        if (request.topics() != null) {
            topics = new ArrayList<>();
            for (OffsetFetchRequestTopic topic : request.topics()) {
                topics.add(new OffsetFetchRequestTopics().setName(topic.name()).setPartitionIndexes(topic.partitionIndexes()));
            }
        }
        OffsetFetchResponseGroup group = fetchGroup(request.groupId(), topics, version, unavailable);
        if (group.errorCode() != Errors.NONE.code()) {
            if (version >= 2) {
                return response.setErrorCode(group.errorCode());
            }
            // Version 1 has no top-level error: every requested partition carries it.
            group = withPartitionError(topics, Errors.forCode(group.errorCode()));
        }
        for (OffsetFetchResponseTopics topic : group.topics()) {
            OffsetFetchResponseTopic oldTopic = new OffsetFetchResponseTopic().setName(topic.name());
            for (OffsetFetchResponsePartitions partition : topic.partitions()) {
                oldTopic.partitions().add(new OffsetFetchResponsePartition()
                        .setPartitionIndex(partition.partitionIndex())
                        .setCommittedOffset(partition.committedOffset())
                        .setCommittedLeaderEpoch(partition.committedLeaderEpoch())
                        .setMetadata(partition.metadata())
                        .setErrorCode(partition.errorCode()));
            }
            response.topics().add(oldTopic);
        }
        return response;
    }

    /** One group's answer in the version 8+ shape; {@code topics} null means every committed offset. */
    private OffsetFetchResponseGroup fetchGroup(String groupId, List<OffsetFetchRequestTopics> topics,
            short version, boolean unavailable) {
        OffsetFetchResponseGroup result = new OffsetFetchResponseGroup().setGroupId(groupId);
        if (unavailable) {
            return result.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        }
        if (!GroupCoordinator.isValidGroupId(groupId)) {
            return result.setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        boolean byId = version >= 10;
        try {
            Map<TopicPartition, CommittedOffset> committed = store.committedOffsets(groupId);
            if (topics == null) {
                addAllCommitted(result, committed, byId);
            } else {
                for (OffsetFetchRequestTopics topic : topics) {
                    result.topics().add(fetchTopic(topic, committed, byId));
                }
            }
            return result;
        } catch (MetadataStoreException e) {
            return new OffsetFetchResponseGroup().setGroupId(groupId).setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        }
    }

    private OffsetFetchResponseTopics fetchTopic(OffsetFetchRequestTopics topic,
            Map<TopicPartition, CommittedOffset> committed, boolean byId) {
        OffsetFetchResponseTopics result = new OffsetFetchResponseTopics();
        String name = topic.name();
        Errors error = Errors.NONE;
        if (byId) {
            result.setTopicId(topic.topicId());
            Optional<Topic> resolved = store.topic(topic.topicId());
            name = resolved.map(Topic::name).orElse(null);
            error = resolved.isPresent() ? Errors.NONE : Errors.UNKNOWN_TOPIC_ID;
        } else {
            result.setName(name);
        }
        for (int partition : topic.partitionIndexes()) {
            CommittedOffset offset = name == null ? null : committed.get(new TopicPartition(name, partition));
            result.partitions().add(partition(partition, offset).setErrorCode(error.code()));
        }
        return result;
    }

    private void addAllCommitted(OffsetFetchResponseGroup result, Map<TopicPartition, CommittedOffset> committed,
            boolean byId) {
        Map<String, Map<Integer, CommittedOffset>> byTopic = new TreeMap<>();
        committed.forEach((tp, offset) -> byTopic.computeIfAbsent(tp.topic(), t -> new TreeMap<>()).put(tp.partition(), offset));
        for (Map.Entry<String, Map<Integer, CommittedOffset>> entry : byTopic.entrySet()) {
            OffsetFetchResponseTopics topic = new OffsetFetchResponseTopics();
            if (byId) {
                Optional<Uuid> id = store.topic(entry.getKey()).map(Topic::id);
                if (id.isEmpty()) {
                    continue; // the topic was deleted; its offsets have no id to answer with
                }
                topic.setTopicId(id.get());
            } else {
                topic.setName(entry.getKey());
            }
            entry.getValue().forEach((partition, offset) -> topic.partitions().add(partition(partition, offset)));
            result.topics().add(topic);
        }
    }

    private static OffsetFetchResponsePartitions partition(int partition, CommittedOffset offset) {
        OffsetFetchResponsePartitions result = new OffsetFetchResponsePartitions().setPartitionIndex(partition);
        if (offset == null) {
            return result.setCommittedOffset(NO_OFFSET).setCommittedLeaderEpoch(NO_EPOCH).setMetadata(NO_METADATA);
        }
        return result.setCommittedOffset(offset.offset())
                .setCommittedLeaderEpoch(offset.leaderEpoch())
                .setMetadata(offset.metadata());
    }

    private static OffsetFetchResponseGroup withPartitionError(List<OffsetFetchRequestTopics> topics, Errors error) {
        OffsetFetchResponseGroup group = new OffsetFetchResponseGroup();
        for (OffsetFetchRequestTopics topic : topics) {
            OffsetFetchResponseTopics responseTopic = new OffsetFetchResponseTopics().setName(topic.name());
            for (int partition : topic.partitionIndexes()) {
                responseTopic.partitions().add(partition(partition, null).setErrorCode(error.code()));
            }
            group.topics().add(responseTopic);
        }
        return group;
    }
}
