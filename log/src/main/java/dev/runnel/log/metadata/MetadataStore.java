package dev.runnel.log.metadata;

import dev.runnel.log.kv.KvStore;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

    /**
     * Deletes the topic with its index, offsets and producer state; false if it was absent. Objects
     * that no other topic's index entry references become {@linkplain #deadObjects dead objects}
     * in the same transaction.
     */
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
    default List<AppendResult> commit(String objectKey, List<BatchAppend> batches) {
        return commit(List.of(new ObjectCommit(objectKey, batches))).get(0);
    }

    /**
     * Commits several objects as one atomic step (group commit): the same results as committing
     * each in list order, but with one durable write for all of them. Index entries never span
     * two objects.
     *
     * @return per object, one result per batch, in input order
     */
    List<List<AppendResult>> commit(List<ObjectCommit> objects);

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

    // ---- retention and object garbage collection (see log/RETENTION.md)

    /**
     * Deletes the oldest index entries of the partition the way Kafka's retention deletes its
     * oldest segments, in one transaction: a prefix of the log only, from its first entry on,
     * while the entry is expired, that is its {@code maxTimestamp} is below
     * {@code deleteBeforeTimestamp}, or, when {@code retentionBytes} is not negative, what would
     * remain of the partition after deleting it is still at least {@code retentionBytes} bytes.
     * The first entry that is neither ends the deletion, whatever follows it. The log start
     * offset moves to the base offset of the first remaining entry, or to the high watermark if
     * none remains; the high watermark does not change.
     *
     * <p>An object that loses its last index reference (of any partition) is recorded as a
     * {@linkplain #deadObjects dead object} in the same transaction.
     *
     * @param deleteBeforeTimestamp entries with a smaller max timestamp expire; {@link Long#MIN_VALUE}
     *                              expires none by time
     * @param retentionBytes        the size to keep the partition at or just above; negative for no size limit
     * @param maxEntries            deletes at most this many entries; the result's {@code more} says
     *                              whether the limit stopped it
     * @return what was deleted; {@link RetentionResult#UNKNOWN_PARTITION} for an unknown partition
     */
    RetentionResult applyRetention(TopicPartition partition, long deleteBeforeTimestamp, long retentionBytes,
                                   int maxEntries);

    /** Time-based retention only, with no limit on the entries deleted at once. */
    default RetentionResult applyRetention(TopicPartition partition, long deleteBeforeTimestamp) {
        return applyRetention(partition, deleteBeforeTimestamp, -1L, Integer.MAX_VALUE);
    }

    /**
     * Dead objects: objects whose last index reference was deleted (by retention or topic
     * deletion) at or before {@code deadBefore}, by this store's clock, and that no index entry
     * references now. Oldest first, at most {@code maxObjects}. They may be deleted from object
     * storage and then {@linkplain #forgetDeadObjects forgotten}.
     */
    List<String> deadObjects(long deadBefore, int maxObjects);

    /** Forgets dead objects, once they are deleted from object storage. Unknown keys are ignored. */
    void forgetDeadObjects(Collection<String> objectKeys);

    /**
     * Those of {@code objectKeys} that this store does not know: no index entry references them
     * and they are not dead objects awaiting their grace period. Such an object was never
     * committed (or only with batches that were all rejected), or was already collected.
     */
    Set<String> untrackedObjects(Collection<String> objectKeys);

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

    // ---- shared state beside the log

    /** The compare-and-set store kept in the same database, closed with this store. */
    KvStore kv();

    @Override
    void close();
}
