package dev.runnel.log.metadata;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/**
 * The log's strongly consistent source of truth: topics, the per-partition index of committed
 * batches, offsets, consumer-group offsets, idempotent-producer state and the live agents.
 *
 * <p>Object storage holds the bytes; this store decides which bytes exist. A batch becomes
 * part of the log only when {@link #commit} records it, and that one call assigns offsets to
 * every batch of one object atomically. Agents keep no state of their own, so every agent
 * sharing a store sees the same log.
 *
 * <p>Implementations must be safe for concurrent use. A failure of the underlying store
 * throws {@link MetadataStoreException}; callers treat it as retriable.
 */
public interface MetadataStore extends AutoCloseable {

    // ---- topics

    /**
     * Creates a topic with a fresh id.
     *
     * @throws org.apache.kafka.common.errors.TopicExistsException if the name is taken
     */
    Topic createTopic(String name, int partitionCount, Map<String, String> configs);

    Optional<Topic> topic(String name);

    Optional<Topic> topic(Uuid id);

    /** All topics, ordered by name. */
    List<Topic> topics();

    /** Deletes the topic with its index, offsets and producer state; false if it was absent. */
    boolean deleteTopic(String name);

    // ---- the produce path

    /**
     * Commits the batches of one object, in the order given, as one atomic step: either every
     * accepted batch gets its offsets and becomes visible, or (on {@link MetadataStoreException})
     * none does. Batches of one partition are appended in list order.
     *
     * <p>Each batch is checked on its own: an unknown topic or partition, a fenced producer
     * epoch or a sequence gap rejects that batch only. A batch an idempotent producer already
     * committed (a retry) is not appended again; its result carries the original base offset.
     * Consecutive accepted batches of a partition that are adjacent in the object are indexed
     * as one {@link IndexEntry}.
     *
     * @return one result per input batch, in input order
     */
    List<AppendResult> commit(String objectKey, List<BatchAppend> batches);

    // ---- the fetch path

    /** The partition's log start offset and high watermark; empty for an unknown partition. */
    Optional<PartitionOffsets> offsets(TopicPartition partition);

    /**
     * Index entries of the partition whose last offset is at least {@code fromOffset}, in
     * offset order, at most {@code maxEntries} of them.
     */
    List<IndexEntry> entries(TopicPartition partition, long fromOffset, int maxEntries);

    /** The first entry (in offset order) holding a record with timestamp &gt;= {@code timestamp}. */
    Optional<IndexEntry> entryForTimestamp(TopicPartition partition, long timestamp);

    // ---- idempotent producers

    /** A producer id never handed out before by this store. */
    long allocateProducerId();

    // ---- consumer groups

    /** Stores the offsets, replacing earlier commits of the same partitions. */
    void commitOffsets(String groupId, Map<TopicPartition, CommittedOffset> offsets);

    /** The group's committed offsets; empty for an unknown group. */
    Map<TopicPartition, CommittedOffset> committedOffsets(String groupId);

    /** Ids of the groups that have committed offsets, ordered. */
    List<String> groupIds();

    // ---- agents

    /**
     * Registers an agent (or refreshes the registration of {@code nodeId} when it is not
     * negative) and returns its node id. A registration is live until it is not refreshed for
     * the expiry the reader asks for.
     */
    int registerAgent(int nodeId, String host, int port, String zone);

    /** Agents whose registration was refreshed within the last {@code maxAgeMillis}, by node id. */
    List<AgentInfo> liveAgents(long maxAgeMillis);

    /** Removes an agent's registration (on a clean shutdown). */
    void deregisterAgent(int nodeId);

    @Override
    void close();
}
