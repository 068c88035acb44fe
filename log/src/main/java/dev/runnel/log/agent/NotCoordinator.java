package dev.runnel.log.agent;

import java.util.List;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * NOT_COORDINATOR answers to offset requests sent to an agent that does not coordinate the
 * group, in the shape each version expects, so the client looks the coordinator up again.
 */
final class NotCoordinator {
    private static final short CODE = Errors.NOT_COORDINATOR.code();

    private NotCoordinator() {
    }

    static OffsetCommitResponseData offsetCommit(OffsetCommitRequestData request) {
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : request.topics()) {
            OffsetCommitResponseData.OffsetCommitResponseTopic out = new OffsetCommitResponseData.OffsetCommitResponseTopic()
                    .setName(topic.name()).setTopicId(topic.topicId());
            topic.partitions().forEach(p -> out.partitions().add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                    .setPartitionIndex(p.partitionIndex()).setErrorCode(CODE)));
            response.topics().add(out);
        }
        return response;
    }

    /** The groups an OffsetFetch asks about: several from v8 on, one before. */
    static List<String> groupIds(OffsetFetchRequestData request, short version) {
        return version >= 8 ? request.groups().stream().map(OffsetFetchRequestData.OffsetFetchRequestGroup::groupId).toList()
                : List.of(request.groupId());
    }

    static OffsetFetchResponseData offsetFetch(OffsetFetchRequestData request, short version) {
        OffsetFetchResponseData response = new OffsetFetchResponseData();
        if (version >= 8) {
            request.groups().forEach(group -> response.groups().add(new OffsetFetchResponseData.OffsetFetchResponseGroup()
                    .setGroupId(group.groupId()).setErrorCode(CODE)));
        } else if (version >= 2) {
            response.setErrorCode(CODE);
        } else {
            // Version 1 has no group-level error: every partition asked for carries it.
            for (OffsetFetchRequestData.OffsetFetchRequestTopic topic : request.topics()) {
                OffsetFetchResponseData.OffsetFetchResponseTopic out = new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(topic.name());
                topic.partitionIndexes().forEach(p -> out.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartition()
                        .setPartitionIndex(p).setCommittedOffset(-1).setErrorCode(CODE)));
                response.topics().add(out);
            }
        }
        return response;
    }
}
