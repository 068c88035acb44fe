package dev.runnel.log.group;

import dev.runnel.log.metadata.AgentInfo;
import dev.runnel.log.metadata.AppendResult;
import dev.runnel.log.metadata.CommittedOffset;
import dev.runnel.log.metadata.IndexEntry;
import dev.runnel.log.metadata.MetadataStore;
import dev.runnel.log.metadata.MetadataStoreException;
import dev.runnel.log.metadata.PartitionOffsets;
import dev.runnel.log.metadata.RetentionResult;
import dev.runnel.log.metadata.Topic;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/** The topics and consumer-group offsets of a {@link MetadataStore}, in memory; can be made to fail. */
final class InMemoryMetadataStore implements MetadataStore {
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();
    private final Map<String, Map<TopicPartition, CommittedOffset>> offsets = new ConcurrentHashMap<>();
    private volatile boolean failing;
    private volatile boolean failingWrites;

    /** While true, every call throws {@link MetadataStoreException}. */
    void failing(boolean failing) {
        this.failing = failing;
    }

    /** While true, offset commits throw {@link MetadataStoreException}. */
    void failingWrites(boolean failingWrites) {
        this.failingWrites = failingWrites;
    }

    private void check() {
        if (failing) {
            throw new MetadataStoreException("store unavailable", null);
        }
    }

    @Override
    public Topic createTopic(String name, int partitionCount, Map<String, String> configs) {
        check();
        Topic topic = new Topic(name, Uuid.randomUuid(), partitionCount, configs);
        if (topics.putIfAbsent(name, topic) != null) {
            throw new TopicExistsException(name);
        }
        return topic;
    }

    @Override
    public Optional<Topic> topic(String name) {
        check();
        return Optional.ofNullable(topics.get(name));
    }

    @Override
    public Optional<Topic> topic(Uuid id) {
        check();
        return topics.values().stream().filter(t -> t.id().equals(id)).findFirst();
    }

    @Override
    public List<Topic> topics() {
        check();
        return topics.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }

    @Override
    public boolean deleteTopic(String name) {
        check();
        return topics.remove(name) != null;
    }

    @Override
    public void commitOffsets(String groupId, Map<TopicPartition, CommittedOffset> committed) {
        check();
        if (failingWrites) {
            throw new MetadataStoreException("write failed", null);
        }
        offsets.computeIfAbsent(groupId, g -> new ConcurrentHashMap<>()).putAll(committed);
    }

    @Override
    public Map<TopicPartition, CommittedOffset> committedOffsets(String groupId) {
        check();
        return Map.copyOf(offsets.getOrDefault(groupId, Map.of()));
    }

    @Override
    public List<String> groupIds() {
        check();
        List<String> ids = new ArrayList<>(offsets.keySet());
        ids.sort(null);
        return ids;
    }

    @Override
    public List<List<AppendResult>> commit(List<dev.runnel.log.metadata.ObjectCommit> objects) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<PartitionOffsets> offsets(TopicPartition partition) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<IndexEntry> entries(TopicPartition partition, long fromOffset, int maxEntries) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<IndexEntry> entryForTimestamp(TopicPartition partition, long timestamp) {
        throw new UnsupportedOperationException();
    }

    @Override
    public RetentionResult applyRetention(TopicPartition partition, long deleteBeforeTimestamp, long retentionBytes,
                                          int maxEntries) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<String> deadObjects(long deadBefore, int maxObjects) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void forgetDeadObjects(Collection<String> objectKeys) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Set<String> untrackedObjects(Collection<String> objectKeys) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long allocateProducerId() {
        throw new UnsupportedOperationException();
    }

    @Override
    public int registerAgent(int nodeId, String host, int port, String zone) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<AgentInfo> liveAgents(long maxAgeMillis) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void deregisterAgent(int nodeId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public dev.runnel.log.kv.KvStore kv() {
        throw new UnsupportedOperationException("the group coordinator's tests keep no shared state");
    }

    @Override
    public void close() {
    }
}
