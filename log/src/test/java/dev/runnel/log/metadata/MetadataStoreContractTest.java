package dev.runnel.log.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import dev.runnel.log.kv.KvStore;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link MetadataStore} must have. A subclass supplies the database: a fresh
 * one per test, which {@link #openStore()} opens again each time it is called.
 */
abstract class MetadataStoreContractTest {

    protected final ManualTime time = new ManualTime();
    protected MetadataStore store;
    private final List<MetadataStore> opened = new ArrayList<>();

    /** Opens a new store over this test's database (the same database on every call). */
    protected abstract MetadataStore createStore();

    /**
     * Makes the database itself fail the insert of an index entry of {@code objectKey} for any
     * partition but 0, so that a commit fails after it has updated offsets and written some rows.
     */
    protected abstract void failIndexInsertsOf(String objectKey) throws Exception;

    /** Undoes {@link #failIndexInsertsOf}. */
    protected abstract void stopFailingIndexInserts() throws Exception;

    /** A plain JDBC connection to this test's database, beside the stores. */
    protected abstract Connection connect() throws SQLException;

    private void execute(String statement) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private long queryLong(String query) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            assertThat(rs.next()).as("a row from " + query).isTrue();
            return rs.getLong(1);
        }
    }

    protected final MetadataStore openStore() {
        MetadataStore s = createStore();
        opened.add(s);
        return s;
    }

    @BeforeEach
    void openTheStore() {
        store = openStore();
    }

    @AfterEach
    void closeStores() {
        opened.forEach(MetadataStore::close);
    }

    protected final MetadataStore reopen() {
        store.close();
        store = openStore();
        return store;
    }

    // ---- helpers

    static final TopicPartition A0 = new TopicPartition("a", 0);
    static final TopicPartition A1 = new TopicPartition("a", 1);
    static final TopicPartition A2 = new TopicPartition("a", 2);
    static final TopicPartition B0 = new TopicPartition("b", 0);

    static BatchAppend batch(TopicPartition tp, int position, int size, int offsetCount, long maxTimestamp) {
        return new BatchAppend(tp, position, size, offsetCount, maxTimestamp, ProducerBatch.NONE);
    }

    /** An idempotent batch of {@code offsetCount} records starting at {@code baseSequence}. */
    static BatchAppend idempotent(TopicPartition tp, int position, int offsetCount, long producerId, int epoch,
                                  int baseSequence) {
        int lastSequence = (int) (((long) baseSequence + offsetCount - 1) % ((long) Integer.MAX_VALUE + 1));
        return new BatchAppend(tp, position, 100, offsetCount, 1_000L,
                new ProducerBatch(producerId, (short) epoch, baseSequence, lastSequence));
    }

    static AppendResult ok(long baseOffset) {
        return AppendResult.appended(baseOffset, 0L);
    }

    static AppendResult duplicate(long originalBaseOffset) {
        return AppendResult.duplicateOf(originalBaseOffset, 0L);
    }

    static AppendResult rejected(Errors error) {
        return AppendResult.rejected(error);
    }

    long highWatermark(TopicPartition tp) {
        return store.offsets(tp).orElseThrow().highWatermark();
    }

    // ---- topics

    @Test
    void createsAndLooksUpTopics() {
        Topic b = store.createTopic("b", 2, Map.of("retention.ms", "1000", "odd key=&%", "välue & = more"));
        Topic a = store.createTopic("a", 3, Map.of());

        assertThat(a.id()).isNotEqualTo(b.id());
        assertThat(store.topic("b")).contains(b);
        assertThat(store.topic(b.id())).contains(b);
        assertThat(store.topic("b").orElseThrow().configs())
                .containsEntry("odd key=&%", "välue & = more").containsEntry("retention.ms", "1000");
        assertThat(store.topic("c")).isEmpty();
        assertThat(store.topic(org.apache.kafka.common.Uuid.randomUuid())).isEmpty();
        assertThat(store.topics()).containsExactly(a, b);
        assertThat(store.offsets(A2)).contains(new PartitionOffsets(0, 0));
        assertThat(store.offsets(new TopicPartition("a", 3))).isEmpty();
        assertThat(store.offsets(new TopicPartition("c", 0))).isEmpty();
    }

    @Test
    void rejectsADuplicateTopic() {
        Topic a = store.createTopic("a", 3, Map.of());
        assertThatThrownBy(() -> store.createTopic("a", 5, Map.of("x", "y")))
                .isInstanceOf(TopicExistsException.class);
        assertThat(store.topics()).containsExactly(a);
    }

    @Test
    void deletesATopicWithEverythingOfIt() {
        Topic old = store.createTopic("a", 3, Map.of());
        store.createTopic("b", 1, Map.of());
        long pid = store.allocateProducerId();
        store.commit("o1", List.of(idempotent(A0, 0, 5, pid, 0, 0), batch(B0, 100, 10, 2, 1)));
        store.commitOffsets("g", Map.of(A0, new CommittedOffset(3, 0, "", 1), B0, new CommittedOffset(1, 0, "", 1)));

        assertThat(store.deleteTopic("a")).isTrue();
        assertThat(store.deleteTopic("a")).isFalse();
        assertThat(store.topic("a")).isEmpty();
        assertThat(store.topic(old.id())).isEmpty();
        assertThat(store.offsets(A0)).isEmpty();
        assertThat(store.entries(A0, 0, 10)).isEmpty();
        assertThat(store.committedOffsets("g")).containsOnlyKeys(B0);

        Topic recreated = store.createTopic("a", 1, Map.of());
        assertThat(recreated.id()).isNotEqualTo(old.id());
        assertThat(store.offsets(A0)).contains(new PartitionOffsets(0, 0));
        assertThat(store.entries(A0, 0, 10)).isEmpty();
        // The producer state went with the old topic: a sequence that would be a gap there is new here.
        assertThat(store.commit("o2", List.of(idempotent(A0, 0, 1, pid, 0, 7)))).containsExactly(ok(0));
        // The other topic is untouched.
        assertThat(highWatermark(B0)).isEqualTo(2);
    }

    // ---- commit

    @Test
    void assignsContiguousOffsetsAcrossPartitionsAndCalls() {
        store.createTopic("a", 3, Map.of());
        store.createTopic("b", 1, Map.of());

        List<AppendResult> first = store.commit("o1", List.of(
                batch(A0, 0, 100, 10, 1), batch(A1, 100, 100, 5, 1), batch(A0, 200, 100, 3, 1),
                batch(B0, 300, 100, 7, 1)));
        assertThat(first).containsExactly(ok(0), ok(0), ok(10), ok(0));

        List<AppendResult> second = store.commit("o2", List.of(
                batch(B0, 0, 100, 1, 1), batch(A0, 100, 100, 2, 1), batch(A2, 200, 100, 4, 1)));
        assertThat(second).containsExactly(ok(7), ok(13), ok(0));

        assertThat(store.offsets(A0)).contains(new PartitionOffsets(0, 15));
        assertThat(highWatermark(A1)).isEqualTo(5);
        assertThat(highWatermark(A2)).isEqualTo(4);
        assertThat(highWatermark(B0)).isEqualTo(8);
        assertThat(store.entries(A0, 0, 10)).containsExactly(
                new IndexEntry(A0, 0, 9, "o1", 0, 100, 1),
                new IndexEntry(A0, 10, 12, "o1", 200, 100, 1),
                new IndexEntry(A0, 13, 14, "o2", 100, 100, 1));
    }

    @Test
    void mergesAdjacentBatchesOfAPartitionIntoOneEntry() {
        store.createTopic("a", 2, Map.of());

        store.commit("o1", List.of(
                batch(A0, 0, 100, 10, 50),
                batch(A0, 100, 40, 5, 70),   // adjacent: merged
                batch(A0, 140, 60, 2, 60),   // adjacent: merged
                batch(A1, 200, 10, 1, 1),
                batch(A0, 250, 10, 1, 80),   // a gap in the object: a new entry
                batch(A1, 210, 10, 1, 2)));  // adjacent to A1's previous batch despite batches between

        assertThat(store.entries(A0, 0, 10)).containsExactly(
                new IndexEntry(A0, 0, 16, "o1", 0, 200, 70),
                new IndexEntry(A0, 17, 17, "o1", 250, 10, 80));
        assertThat(store.entries(A1, 0, 10)).containsExactly(new IndexEntry(A1, 0, 1, "o1", 200, 20, 2));
    }

    @Test
    void aRejectedBatchBetweenAdjacentBatchesSplitsTheEntry() {
        store.createTopic("a", 1, Map.of());
        long pid = store.allocateProducerId();
        store.commit("o0", List.of(idempotent(A0, 0, 1, pid, 3, 0)));

        List<AppendResult> results = store.commit("o1", List.of(
                batch(A0, 0, 100, 10, 1),
                idempotent(A0, 500, 1, pid, 2, 1),   // fenced epoch, elsewhere in the object
                batch(A0, 100, 100, 10, 1)));        // adjacent to the first, but not merged

        assertThat(results).containsExactly(ok(1), rejected(Errors.INVALID_PRODUCER_EPOCH), ok(11));
        assertThat(store.entries(A0, 1, 10)).containsExactly(
                new IndexEntry(A0, 1, 10, "o1", 0, 100, 1),
                new IndexEntry(A0, 11, 20, "o1", 100, 100, 1));
    }

    @Test
    void pagesThroughEntries() {
        store.createTopic("a", 1, Map.of());
        for (int i = 0; i < 5; i++) {
            store.commit("o" + i, List.of(batch(A0, 0, 100, 10, 1000 + i)));
        }

        assertThat(store.entries(A0, 0, 2)).extracting(IndexEntry::baseOffset).containsExactly(0L, 10L);
        assertThat(store.entries(A0, 20, 2)).extracting(IndexEntry::baseOffset).containsExactly(20L, 30L);
        // fromOffset inside an entry returns that entry first.
        assertThat(store.entries(A0, 25, 10)).extracting(IndexEntry::objectKey).containsExactly("o2", "o3", "o4");
        assertThat(store.entries(A0, 49, 10)).extracting(IndexEntry::objectKey).containsExactly("o4");
        assertThat(store.entries(A0, 50, 10)).isEmpty();
        assertThat(store.entries(A0, 0, 0)).isEmpty();
        assertThat(store.entries(A1, 0, 10)).isEmpty();
    }

    @Test
    void findsTheFirstEntryForATimestamp() {
        store.createTopic("a", 1, Map.of());
        store.commit("o1", List.of(batch(A0, 0, 100, 10, 100)));
        store.commit("o2", List.of(batch(A0, 0, 100, 10, 300)));
        store.commit("o3", List.of(batch(A0, 0, 100, 10, 200)));

        assertThat(store.entryForTimestamp(A0, 0)).map(IndexEntry::objectKey).contains("o1");
        assertThat(store.entryForTimestamp(A0, 100)).map(IndexEntry::objectKey).contains("o1");
        assertThat(store.entryForTimestamp(A0, 101)).map(IndexEntry::objectKey).contains("o2");
        assertThat(store.entryForTimestamp(A0, 250)).map(IndexEntry::objectKey).contains("o2");
        assertThat(store.entryForTimestamp(A0, 301)).isEmpty();
        assertThat(store.entryForTimestamp(A1, 0)).isEmpty();
    }

    @Test
    void rejectsUnknownPartitionsAndCommitsTheRest() {
        store.createTopic("a", 2, Map.of());

        List<AppendResult> results = store.commit("o1", List.of(
                batch(A0, 0, 10, 1, 1),
                batch(A2, 10, 10, 1, 1),
                batch(new TopicPartition("nope", 0), 20, 10, 1, 1),
                batch(new TopicPartition("a", -1), 30, 10, 1, 1),
                batch(A1, 40, 10, 3, 1)));

        assertThat(results).containsExactly(ok(0), rejected(Errors.UNKNOWN_TOPIC_OR_PARTITION),
                rejected(Errors.UNKNOWN_TOPIC_OR_PARTITION), rejected(Errors.UNKNOWN_TOPIC_OR_PARTITION), ok(0));
        assertThat(highWatermark(A1)).isEqualTo(3);
        assertThat(store.commit("o2", List.of())).isEmpty();
    }

    @Test
    void commitsToPartitionsFarApartInAWideTopic() {
        store.createTopic("w", 200, Map.of());
        TopicPartition first = new TopicPartition("w", 0);
        TopicPartition middle = new TopicPartition("w", 100);
        TopicPartition last = new TopicPartition("w", 199);
        long pid = store.allocateProducerId();

        assertThat(store.commit("o1", List.of(idempotent(first, 0, 2, pid, 0, 0), idempotent(last, 100, 3, pid, 0, 0),
                batch(middle, 200, 10, 4, 1)))).containsExactly(ok(0), ok(0), ok(0));
        assertThat(store.commit("o2", List.of(idempotent(last, 0, 3, pid, 0, 0), idempotent(first, 100, 1, pid, 0, 3),
                idempotent(last, 200, 1, pid, 0, 3), batch(new TopicPartition("w", 200), 300, 10, 1, 1))))
                .containsExactly(duplicate(0), rejected(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER), ok(3),
                        rejected(Errors.UNKNOWN_TOPIC_OR_PARTITION));
        assertThat(store.offsets(first)).contains(new PartitionOffsets(0, 2));
        assertThat(store.offsets(middle)).contains(new PartitionOffsets(0, 4));
        assertThat(store.offsets(last)).contains(new PartitionOffsets(0, 4));
    }

    @Test
    void producerStateIsKeptPerPartition() {
        store.createTopic("a", 3, Map.of());
        long pid = store.allocateProducerId();
        long otherPid = store.allocateProducerId();
        store.commit("o1", List.of(idempotent(A0, 0, 5, pid, 0, 0), idempotent(A1, 100, 1, otherPid, 0, 0)));

        // A0 continues at 5; A1 and A2 have no state for pid yet, so any sequence is accepted.
        assertThat(store.commit("o2", List.of(idempotent(A0, 0, 1, pid, 0, 5), idempotent(A1, 100, 1, pid, 0, 9),
                idempotent(A2, 200, 1, pid, 0, 3), idempotent(A1, 300, 1, otherPid, 0, 2))))
                .containsExactly(ok(5), ok(1), ok(0), rejected(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER));
        assertThat(store.commit("o3", List.of(idempotent(A1, 0, 1, pid, 0, 10), idempotent(A2, 100, 1, pid, 0, 3),
                idempotent(A1, 200, 1, otherPid, 0, 1))))
                .containsExactly(ok(2), duplicate(0), ok(3));
    }

    @Test
    void severalObjectsCommittedTogetherGetWhatCommittingThemInTurnGives() {
        store.createTopic("a", 2, Map.of());
        long pid = store.allocateProducerId();
        List<List<AppendResult>> results = store.commit(List.of(
                new ObjectCommit("g1", List.of(batch(A0, 0, 100, 3, 5), idempotent(A1, 100, 1, pid, 0, 0))),
                new ObjectCommit("g2", List.of(batch(A0, 100, 100, 2, 6), idempotent(A1, 0, 1, pid, 0, 0),
                        idempotent(A1, 200, 1, pid, 0, 1)))));

        assertThat(results).containsExactly(List.of(ok(0), ok(0)), List.of(ok(3), duplicate(0), ok(1)));
        assertThat(highWatermark(A0)).isEqualTo(5);
        assertThat(highWatermark(A1)).isEqualTo(2);
        // g2's batch at 100 would be adjacent to g1's batch at 0..100, but it is another object.
        assertThat(store.entries(A0, 0, 10)).extracting(IndexEntry::objectKey, IndexEntry::baseOffset, IndexEntry::lastOffset)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("g1", 0L, 2L), org.assertj.core.groups.Tuple.tuple("g2", 3L, 4L));
    }

    // ---- retention and dead objects

    /** Commits one batch of {@code offsets} offsets and {@code size} bytes to each partition, in object {@code key}. */
    void commitTo(String key, long maxTimestamp, int size, int offsets, TopicPartition... partitions) {
        List<BatchAppend> batches = new ArrayList<>();
        for (int i = 0; i < partitions.length; i++) {
            batches.add(batch(partitions[i], 1000 * i, size, offsets, maxTimestamp));
        }
        assertThat(store.commit(key, batches)).allMatch(AppendResult::isAppended);
    }

    List<String> deadNow() {
        return store.deadObjects(time.milliseconds(), 1000);
    }

    @Test
    void retentionDeletesOnlyAnExpiredPrefixAndMovesTheLogStart() {
        store.createTopic("a", 2, Map.of());
        commitTo("o1", 100, 10, 10, A0);
        commitTo("o2", 200, 10, 10, A0);
        commitTo("o3", 500, 10, 10, A0);   // young: ends the deletion
        commitTo("o4", 150, 10, 10, A0);   // old, but after a young entry: kept
        commitTo("o5", 100, 10, 10, A1);

        RetentionResult result = store.applyRetention(A0, 300);

        assertThat(result).isEqualTo(new RetentionResult(2, 20, 2, 20, false));
        assertThat(store.offsets(A0)).contains(new PartitionOffsets(20, 40));
        assertThat(store.entries(A0, 0, 10)).extracting(IndexEntry::objectKey).containsExactly("o3", "o4");
        assertThat(store.entries(A0, 0, 10).get(0).baseOffset()).isEqualTo(20);
        assertThat(deadNow()).containsExactlyInAnyOrder("o1", "o2");
        // The other partition is untouched, and a second pass finds nothing more.
        assertThat(store.offsets(A1)).contains(new PartitionOffsets(0, 10));
        assertThat(store.applyRetention(A0, 300)).isEqualTo(RetentionResult.nothing(20));
        // An entry's max timestamp equal to the bound is not expired.
        assertThat(store.applyRetention(A0, 500)).isEqualTo(RetentionResult.nothing(20));
        assertThat(store.applyRetention(A0, 501).deletedEntries()).isEqualTo(2);
        assertThat(store.offsets(A0)).contains(new PartitionOffsets(40, 40));
        // ListOffsets earliest and the log start a produce answers with follow; offsets continue.
        assertThat(store.commit("o6", List.of(batch(A0, 0, 10, 5, 1)))).containsExactly(AppendResult.appended(40, 40));
        assertThat(store.offsets(A0)).contains(new PartitionOffsets(40, 45));
    }

    @Test
    void retentionOfEveryEntryMovesTheLogStartToTheHighWatermarkAndNeverPastIt() {
        store.createTopic("a", 1, Map.of());
        commitTo("o1", 100, 10, 3, A0);
        commitTo("o2", 100, 10, 4, A0);

        assertThat(store.applyRetention(A0, Long.MAX_VALUE)).isEqualTo(new RetentionResult(2, 20, 2, 7, false));
        assertThat(store.offsets(A0)).contains(new PartitionOffsets(7, 7));
        assertThat(store.entries(A0, 0, 10)).isEmpty();
        assertThat(store.applyRetention(A0, Long.MAX_VALUE)).isEqualTo(RetentionResult.nothing(7));
        assertThat(store.offsets(A0)).contains(new PartitionOffsets(7, 7));
        reopen();
        assertThat(store.offsets(A0)).contains(new PartitionOffsets(7, 7));
    }

    @Test
    void retentionOfAnUnknownPartitionOrAnEmptyOneDoesNothing() {
        store.createTopic("a", 1, Map.of());
        assertThat(store.applyRetention(A1, Long.MAX_VALUE)).isEqualTo(RetentionResult.UNKNOWN_PARTITION);
        assertThat(store.applyRetention(B0, Long.MAX_VALUE, 0, 10)).isEqualTo(RetentionResult.UNKNOWN_PARTITION);
        assertThat(store.applyRetention(A0, Long.MAX_VALUE)).isEqualTo(RetentionResult.nothing(0));
        assertThat(store.offsets(A0)).contains(new PartitionOffsets(0, 0));
    }

    @Test
    void sizeRetentionKeepsAtLeastRetentionBytes() {
        store.createTopic("a", 1, Map.of());
        for (int i = 1; i <= 5; i++) {
            commitTo("o" + i, 1000 + i, 100, 2, A0);
        }

        // 500 bytes, keep 250: deleting o1 and o2 leaves 300; deleting o3 too would leave 200.
        assertThat(store.applyRetention(A0, Long.MIN_VALUE, 250, 100)).isEqualTo(new RetentionResult(2, 200, 2, 4, false));
        assertThat(store.entries(A0, 0, 10)).extracting(IndexEntry::objectKey).containsExactly("o3", "o4", "o5");
        assertThat(store.applyRetention(A0, Long.MIN_VALUE, 250, 100)).isEqualTo(RetentionResult.nothing(4));
        // Time and size together: o3 is expired by time, o4 goes by size, o5 stays (100 bytes are kept).
        assertThat(store.applyRetention(A0, 1004, 100, 100)).isEqualTo(new RetentionResult(2, 200, 2, 8, false));
        assertThat(store.entries(A0, 0, 10)).extracting(IndexEntry::objectKey).containsExactly("o5");
        assertThat(store.offsets(A0)).contains(new PartitionOffsets(8, 10));
    }

    @Test
    void retentionStopsAtMaxEntriesAndSaysThereIsMore() {
        store.createTopic("a", 1, Map.of());
        for (int i = 1; i <= 5; i++) {
            commitTo("o" + i, 100, 10, 1, A0);
        }

        assertThat(store.applyRetention(A0, 200, -1, 2)).isEqualTo(new RetentionResult(2, 20, 2, 2, true));
        assertThat(store.applyRetention(A0, 200, -1, 2)).isEqualTo(new RetentionResult(2, 20, 2, 4, true));
        assertThat(store.applyRetention(A0, 200, -1, 2)).isEqualTo(new RetentionResult(1, 10, 1, 5, false));
        assertThat(store.offsets(A0)).contains(new PartitionOffsets(5, 5));
    }

    @Test
    void anObjectDiesOnlyWhenItsLastReferenceGoes() {
        store.createTopic("a", 2, Map.of());
        store.createTopic("b", 1, Map.of());
        commitTo("shared", 100, 10, 1, A0, A1, B0);
        commitTo("young", 900, 10, 1, A0);

        assertThat(store.applyRetention(A0, 200).deadObjects()).isZero();
        assertThat(deadNow()).isEmpty();
        assertThat(store.untrackedObjects(List.of("shared", "young", "never"))).containsExactly("never");

        assertThat(store.applyRetention(A1, 200).deadObjects()).isZero();
        assertThat(deadNow()).isEmpty();

        assertThat(store.applyRetention(B0, 200).deadObjects()).isEqualTo(1);
        assertThat(deadNow()).containsExactly("shared");
        // A dead object is still known (it awaits its grace period), so no orphan scan takes it.
        assertThat(store.untrackedObjects(List.of("shared", "young", "never"))).containsExactly("never");

        store.forgetDeadObjects(List.of("shared", "unknown"));
        assertThat(deadNow()).isEmpty();
        assertThat(store.untrackedObjects(List.of("shared", "young"))).containsExactly("shared");
        assertThat(store.untrackedObjects(List.of())).isEmpty();
    }

    @Test
    void deadObjectsAreListedOnceTheirGraceStartedOldestFirst() {
        store.createTopic("a", 1, Map.of());
        commitTo("o1", 100, 10, 1, A0);
        commitTo("o2", 100, 10, 1, A0);
        commitTo("o3", 300, 10, 1, A0);
        long firstDeath = time.milliseconds();
        store.applyRetention(A0, 200);
        time.advance(1000);
        store.applyRetention(A0, 400);

        assertThat(store.deadObjects(firstDeath - 1, 10)).isEmpty();
        assertThat(store.deadObjects(firstDeath, 10)).containsExactly("o1", "o2");
        assertThat(store.deadObjects(firstDeath, 1)).containsExactly("o1");
        assertThat(store.deadObjects(time.milliseconds(), 10)).containsExactly("o1", "o2", "o3");
        assertThat(store.deadObjects(time.milliseconds(), 0)).isEmpty();
        // Survives a reopen; seen by another store on the same database.
        reopen();
        assertThat(openStore().deadObjects(time.milliseconds(), 10)).containsExactly("o1", "o2", "o3");
    }

    @Test
    void aDeadObjectReferencedAgainIsNotListed() {
        store.createTopic("a", 2, Map.of());
        commitTo("o1", 100, 10, 1, A0);
        store.applyRetention(A0, 200);
        assertThat(deadNow()).containsExactly("o1");

        // A late retry of a commit of the same object: it is referenced again and must stay.
        commitTo("o1", 900, 10, 1, A1);
        assertThat(deadNow()).isEmpty();
        assertThat(store.untrackedObjects(List.of("o1"))).isEmpty();

        // When that reference goes too, it dies again, its grace starting over.
        time.advance(1000);
        store.applyRetention(A1, 1000);
        assertThat(store.deadObjects(time.milliseconds() - 1, 10)).isEmpty();
        assertThat(deadNow()).containsExactly("o1");
    }

    @Test
    void deletingATopicRecordsTheObjectsOnlyItReferenced() {
        store.createTopic("a", 2, Map.of());
        store.createTopic("b", 1, Map.of());
        commitTo("only-a", 100, 10, 1, A0, A1);
        commitTo("a-and-b", 100, 10, 1, A1, B0);
        commitTo("only-b", 100, 10, 1, B0);

        assertThat(store.deleteTopic("a")).isTrue();

        assertThat(deadNow()).containsExactly("only-a");
        assertThat(store.untrackedObjects(List.of("only-a", "a-and-b", "only-b"))).isEmpty();
        assertThat(store.applyRetention(B0, 200)).isEqualTo(new RetentionResult(2, 20, 2, 2, false));
        assertThat(deadNow()).containsExactlyInAnyOrder("only-a", "a-and-b", "only-b");
    }

    // ---- idempotent producers

    @Test
    void aRetriedBatchInALaterCommitGetsItsOriginalOffset() {
        store.createTopic("a", 2, Map.of());
        long pid = store.allocateProducerId();
        store.commit("o0", List.of(batch(A0, 0, 10, 4, 1)));
        assertThat(store.commit("o1", List.of(idempotent(A0, 0, 5, pid, 0, 0), idempotent(A0, 100, 5, pid, 0, 5))))
                .containsExactly(ok(4), ok(9));

        assertThat(store.commit("o2", List.of(idempotent(A0, 0, 5, pid, 0, 0), idempotent(A1, 100, 1, pid, 0, 0))))
                .containsExactly(duplicate(4), ok(0));
        assertThat(highWatermark(A0)).isEqualTo(14);
        assertThat(store.entries(A0, 0, 10)).extracting(IndexEntry::objectKey).containsExactly("o0", "o1");

        // The next batch in sequence is still accepted after the duplicate.
        assertThat(store.commit("o3", List.of(idempotent(A0, 0, 1, pid, 0, 10)))).containsExactly(ok(14));
    }

    @Test
    void aRetriedBatchWithinOneCommitIsADuplicate() {
        store.createTopic("a", 1, Map.of());
        long pid = store.allocateProducerId();

        List<AppendResult> results = store.commit("o1", List.of(
                idempotent(A0, 0, 5, pid, 0, 0),
                idempotent(A0, 100, 5, pid, 0, 0),
                idempotent(A0, 200, 5, pid, 0, 5)));

        assertThat(results).containsExactly(ok(0), duplicate(0), ok(5));
        assertThat(highWatermark(A0)).isEqualTo(10);
        assertThat(store.entries(A0, 0, 10)).containsExactly(
                new IndexEntry(A0, 0, 4, "o1", 0, 100, 1000),
                new IndexEntry(A0, 5, 9, "o1", 200, 100, 1000));
    }

    @Test
    void onlyTheLastFiveBatchesAreRecognisedAsDuplicates() {
        store.createTopic("a", 1, Map.of());
        long pid = store.allocateProducerId();
        for (int i = 0; i < 6; i++) {
            store.commit("o" + i, List.of(idempotent(A0, 0, 2, pid, 0, 2 * i)));
        }

        assertThat(store.commit("r1", List.of(idempotent(A0, 0, 2, pid, 0, 2)))).containsExactly(duplicate(2));
        assertThat(store.commit("r0", List.of(idempotent(A0, 0, 2, pid, 0, 0))))
                .containsExactly(rejected(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER));
        assertThat(highWatermark(A0)).isEqualTo(12);
    }

    @Test
    void rejectsASequenceGap() {
        store.createTopic("a", 1, Map.of());
        long pid = store.allocateProducerId();
        store.commit("o1", List.of(idempotent(A0, 0, 5, pid, 0, 0)));

        assertThat(store.commit("o2", List.of(idempotent(A0, 0, 5, pid, 0, 6), idempotent(A0, 100, 1, pid, 0, 5))))
                .containsExactly(rejected(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER), ok(5));
        assertThat(highWatermark(A0)).isEqualTo(6);
    }

    @Test
    void acceptsAnySequenceFromANewProducerAndIgnoresNonIdempotentBatches() {
        store.createTopic("a", 1, Map.of());
        long pid = store.allocateProducerId();

        assertThat(store.commit("o1", List.of(idempotent(A0, 0, 5, pid, 4, 42), batch(A0, 100, 10, 5, 1),
                batch(A0, 200, 10, 5, 1), idempotent(A0, 300, 1, pid, 4, 47))))
                .containsExactly(ok(0), ok(5), ok(10), ok(15));
    }

    @Test
    void fencesAnOlderEpoch() {
        store.createTopic("a", 1, Map.of());
        long pid = store.allocateProducerId();
        store.commit("o1", List.of(idempotent(A0, 0, 5, pid, 2, 0)));

        assertThat(store.commit("o2", List.of(idempotent(A0, 0, 1, pid, 1, 5), idempotent(A0, 100, 5, pid, 1, 0))))
                .containsExactly(rejected(Errors.INVALID_PRODUCER_EPOCH), rejected(Errors.INVALID_PRODUCER_EPOCH));
        assertThat(highWatermark(A0)).isEqualTo(5);
    }

    @Test
    void aNewEpochStartsAtSequenceZero() {
        store.createTopic("a", 1, Map.of());
        long pid = store.allocateProducerId();
        store.commit("o1", List.of(idempotent(A0, 0, 5, pid, 0, 0)));

        assertThat(store.commit("o2", List.of(idempotent(A0, 0, 1, pid, 1, 5))))
                .containsExactly(rejected(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER));
        assertThat(store.commit("o3", List.of(idempotent(A0, 0, 3, pid, 1, 0), idempotent(A0, 100, 1, pid, 1, 3))))
                .containsExactly(ok(5), ok(8));
        // The old epoch is now fenced, and its batches are no longer duplicates.
        assertThat(store.commit("o4", List.of(idempotent(A0, 0, 5, pid, 0, 0))))
                .containsExactly(rejected(Errors.INVALID_PRODUCER_EPOCH));
        // A retry of the new epoch's first batch is a duplicate.
        assertThat(store.commit("o5", List.of(idempotent(A0, 0, 3, pid, 1, 0)))).containsExactly(duplicate(5));
        assertThat(highWatermark(A0)).isEqualTo(9);
    }

    @Test
    void sequencesWrapAround() {
        store.createTopic("a", 1, Map.of());
        long pid = store.allocateProducerId();
        int nearEnd = Integer.MAX_VALUE - 2;

        assertThat(store.commit("o1", List.of(idempotent(A0, 0, 3, pid, 0, nearEnd)))).containsExactly(ok(0));
        assertThat(store.commit("o2", List.of(idempotent(A0, 0, 2, pid, 0, 0), idempotent(A0, 100, 1, pid, 0, 2))))
                .containsExactly(ok(3), ok(5));
        // A batch that itself wraps: MAX-1 .. 1.
        long other = store.allocateProducerId();
        store.commit("o3", List.of(idempotent(A0, 0, 1, other, 0, Integer.MAX_VALUE - 2)));
        BatchAppend wrapping = idempotent(A0, 0, 4, other, 0, Integer.MAX_VALUE - 1);
        assertThat(wrapping.producer().lastSequence()).isEqualTo(1);
        assertThat(store.commit("o4", List.of(wrapping, idempotent(A0, 100, 1, other, 0, 2))))
                .containsExactly(ok(7), ok(11));
        assertThat(store.commit("o5", List.of(wrapping))).containsExactly(duplicate(7));
    }

    @Test
    void producerIdsAreUniqueAcrossReopen() {
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            ids.add(store.allocateProducerId());
        }
        reopen();
        for (int i = 0; i < 10; i++) {
            ids.add(store.allocateProducerId());
        }
        assertThat(ids).hasSize(20).allMatch(id -> id >= 0);
    }

    // ---- durability and atomicity

    @Test
    void everythingSurvivesAReopen() {
        Topic a = store.createTopic("a", 2, Map.of("k", "v"));
        long pid = store.allocateProducerId();
        store.commit("o1", List.of(idempotent(A0, 0, 5, pid, 0, 0), batch(A1, 100, 10, 2, 7)));
        store.commitOffsets("g", Map.of(A0, new CommittedOffset(5, 1, "m", 9)));
        int node = store.registerAgent(-1, "h", 9092, "z");

        reopen();

        assertThat(store.topic("a")).contains(a);
        assertThat(store.offsets(A0)).contains(new PartitionOffsets(0, 5));
        assertThat(store.entries(A1, 0, 10)).containsExactly(new IndexEntry(A1, 0, 1, "o1", 100, 10, 7));
        assertThat(store.committedOffsets("g")).containsEntry(A0, new CommittedOffset(5, 1, "m", 9));
        assertThat(store.liveAgents(1000)).containsExactly(new AgentInfo(node, "h", 9092, "z"));
        // Producer state survived too: the retry is a duplicate.
        assertThat(store.commit("o2", List.of(idempotent(A0, 0, 5, pid, 0, 0)))).containsExactly(duplicate(0));
    }

    @Test
    void aCommitThatFailsMidwayLeavesNothingBehind() throws Exception {
        store.createTopic("a", 3, Map.of());
        long pid = store.allocateProducerId();
        store.commit("o1", List.of(idempotent(A0, 0, 5, pid, 0, 0), batch(A1, 100, 10, 2, 1)));

        failIndexInsertsOf("poison");
        List<BatchAppend> batches = List.of(
                idempotent(A0, 0, 5, pid, 0, 5), batch(A1, 100, 10, 3, 1), batch(A2, 200, 10, 4, 1));
        assertThatThrownBy(() -> store.commit("poison", batches))
                .isInstanceOf(MetadataStoreException.class)
                .hasMessageContaining("poison");

        assertThat(highWatermark(A0)).isEqualTo(5);
        assertThat(highWatermark(A1)).isEqualTo(2);
        assertThat(highWatermark(A2)).isEqualTo(0);
        assertThat(store.entries(A0, 0, 10)).extracting(IndexEntry::objectKey).containsExactly("o1");
        assertThat(store.entries(A2, 0, 10)).isEmpty();

        // The store still works, and the producer state did not move: the retry is new, not a duplicate.
        stopFailingIndexInserts();
        assertThat(store.commit("o2", batches)).containsExactly(ok(5), ok(2), ok(0));
        assertThat(store.commit("o3", List.of(idempotent(A0, 0, 5, pid, 0, 5)))).containsExactly(duplicate(5));
        assertThat(highWatermark(A0)).isEqualTo(10);
    }

    @Test
    void twoStoresOnOneDatabaseSeeEachOthersWrites() {
        MetadataStore other = openStore();
        store.createTopic("a", 2, Map.of());
        assertThat(other.topic("a")).isPresent();

        assertThat(store.commit("o1", List.of(batch(A0, 0, 10, 3, 1)))).containsExactly(ok(0));
        assertThat(other.commit("o2", List.of(batch(A0, 0, 10, 2, 1)))).containsExactly(ok(3));
        assertThat(store.offsets(A0)).contains(new PartitionOffsets(0, 5));
        assertThat(store.entries(A0, 0, 10)).extracting(IndexEntry::objectKey).containsExactly("o1", "o2");

        long pid = other.allocateProducerId();
        assertThat(store.allocateProducerId()).isNotEqualTo(pid);
        store.commit("o3", List.of(idempotent(A1, 0, 2, pid, 0, 0)));
        assertThat(other.commit("o4", List.of(idempotent(A1, 0, 2, pid, 0, 0)))).containsExactly(duplicate(0));

        int node = other.registerAgent(-1, "h", 1, "z");
        assertThat(store.registerAgent(-1, "h", 2, "z")).isNotEqualTo(node);
        other.commitOffsets("g", Map.of(A0, new CommittedOffset(1, 0, "", 0)));
        assertThat(store.groupIds()).containsExactly("g");
        assertThat(store.deleteTopic("a")).isTrue();
        assertThat(other.offsets(A0)).isEmpty();
    }

    @Test
    void concurrentCommitsFromManyThreadsGetDistinctOffsets() throws Exception {
        store.createTopic("a", 1, Map.of());
        MetadataStore other = openStore();
        int threads = 4;
        int commits = 25;
        List<Thread> workers = new ArrayList<>();
        List<Long> baseOffsets = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            MetadataStore s = t % 2 == 0 ? store : other;
            workers.add(new Thread(() -> {
                for (int i = 0; i < commits; i++) {
                    baseOffsets.add(s.commit("o", List.of(batch(A0, 0, 10, 2, 1))).get(0).baseOffset());
                    s.offsets(A0);
                }
            }));
        }
        workers.forEach(Thread::start);
        for (Thread w : workers) {
            w.join();
        }
        assertThat(baseOffsets).hasSize(threads * commits).doesNotHaveDuplicates()
                .allMatch(o -> o % 2 == 0 && o < 2L * threads * commits);
        assertThat(highWatermark(A0)).isEqualTo(2L * threads * commits);
    }

    @Test
    void commitsOfManyPartitionsFromTwoStoresInOpposingOrdersGetGaplessOffsets() throws Exception {
        store.createTopic("a", 4, Map.of());
        store.createTopic("b", 4, Map.of());
        List<TopicPartition> all = new ArrayList<>();
        for (String topic : List.of("a", "b")) {
            for (int p = 0; p < 4; p++) {
                all.add(new TopicPartition(topic, p));
            }
        }
        MetadataStore other = openStore();
        int threads = 4;
        int commits = 20;
        Map<TopicPartition, List<Long>> baseOffsets = new java.util.concurrent.ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                MetadataStore s = t % 2 == 0 ? store : other;
                // Half the threads name the partitions backwards: a store that locked them in the
                // order named would deadlock against the other half.
                List<TopicPartition> order = new ArrayList<>(all);
                if (t % 4 >= 2) {
                    java.util.Collections.reverse(order);
                }
                int offsetCount = t + 1;
                workers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < commits; i++) {
                        List<BatchAppend> batches = order.stream()
                                .map(tp -> batch(tp, 0, 10, offsetCount, 1)).toList();
                        List<AppendResult> results = s.commit("o", batches);
                        for (int b = 0; b < batches.size(); b++) {
                            assertThat(results.get(b).isAppended()).isTrue();
                            baseOffsets.computeIfAbsent(order.get(b),
                                    tp -> java.util.Collections.synchronizedList(new ArrayList<>()))
                                    .add(results.get(b).baseOffset());
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> w : workers) {
                w.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long perPartition = (long) commits * (1 + 2 + 3 + 4);
        for (TopicPartition tp : all) {
            // Each partition's entries tile its offsets from 0 without gaps or overlaps.
            List<IndexEntry> entries = store.entries(tp, 0, 1000);
            assertThat(entries).hasSize(threads * commits);
            long next = 0;
            for (IndexEntry e : entries) {
                assertThat(e.baseOffset()).as("base offset of an entry of " + tp).isEqualTo(next);
                next = e.lastOffset() + 1;
            }
            assertThat(next).isEqualTo(perPartition);
            assertThat(highWatermark(tp)).isEqualTo(perPartition);
            assertThat(baseOffsets.get(tp)).hasSize(threads * commits).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(entries.stream().map(IndexEntry::baseOffset).toList());
        }
    }

    @Test
    void anObjectWhoseReferencesAreDeletedConcurrentlyDies() throws Exception {
        int partitions = 6;
        store.createTopic("a", partitions, Map.of());
        TopicPartition[] all = new TopicPartition[partitions];
        for (int p = 0; p < partitions; p++) {
            all[p] = new TopicPartition("a", p);
        }
        MetadataStore other = openStore();
        ExecutorService pool = Executors.newFixedThreadPool(partitions);
        try {
            for (int round = 0; round < 5; round++) {
                String key = "shared-" + round;
                commitTo(key, 100 + round, 10, 1, all);
                // Each partition's retention deletes one reference; whichever runs last must see
                // that the others are gone, however they interleave.
                CountDownLatch start = new CountDownLatch(1);
                long deleteBefore = 200 + round;
                List<Future<RetentionResult>> retentions = new ArrayList<>();
                for (int p = 0; p < partitions; p++) {
                    MetadataStore s = p % 2 == 0 ? store : other;
                    TopicPartition tp = all[p];
                    retentions.add(pool.submit(() -> {
                        start.await();
                        return s.applyRetention(tp, deleteBefore);
                    }));
                }
                start.countDown();
                int dead = 0;
                for (Future<RetentionResult> r : retentions) {
                    RetentionResult result = r.get(60, TimeUnit.SECONDS);
                    assertThat(result.deletedEntries()).isEqualTo(1);
                    dead += result.deadObjects();
                }
                assertThat(dead).as("deaths reported in round " + round).isEqualTo(1);
                assertThat(deadNow()).as("dead objects after round " + round).containsExactly(key);
                store.forgetDeadObjects(List.of(key));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- schema

    @Test
    void aDatabaseOfTheFirstSchemaVersionIsUpgradedInPlace() throws Exception {
        store.createTopic("a", 1, Map.of());
        commitTo("o1", 100, 10, 2, A0);
        store.close();
        // What the first build of schema version 1 created: no kv table, and no dead objects yet.
        execute("DROP TABLE kv");
        execute("DROP TABLE dead_objects");
        execute("DROP INDEX index_entries_by_object");
        execute("UPDATE schema_version SET version = 1");

        store = openStore();
        assertThat(queryLong("SELECT MAX(version) FROM schema_version")).isEqualTo(MetadataSql.SCHEMA_VERSION);
        assertThat(queryLong("SELECT COUNT(*) FROM schema_version")).isEqualTo(1);
        assertThat(store.entries(A0, 0, 10)).extracting(IndexEntry::objectKey).containsExactly("o1");
        assertThat(store.kv().compareAndSet("k", 0, "v".getBytes(StandardCharsets.UTF_8))).contains(1L);
        assertThat(store.applyRetention(A0, 200).deadObjects()).isEqualTo(1);
        assertThat(deadNow()).containsExactly("o1");

        // Opening it again finds it current and leaves it as it is.
        reopen();
        assertThat(store.kv().get("k")).map(KvStore.Versioned::version).contains(1L);
        assertThat(store.offsets(A0)).contains(new PartitionOffsets(2, 2));
    }

    // ---- consumer groups

    @Test
    void upsertsGroupOffsets() {
        assertThat(store.committedOffsets("g1")).isEmpty();
        assertThat(store.groupIds()).isEmpty();

        Map<TopicPartition, CommittedOffset> first = new LinkedHashMap<>();
        first.put(A0, new CommittedOffset(10, 1, "first", 100));
        first.put(A1, new CommittedOffset(20, 1, null, 100));
        store.commitOffsets("g2", first);
        store.commitOffsets("g1", Map.of(B0, new CommittedOffset(1, -1, "", 5)));
        store.commitOffsets("g2", Map.of(A0, new CommittedOffset(11, 2, "second", 200)));

        assertThat(store.committedOffsets("g2")).isEqualTo(Map.of(
                A0, new CommittedOffset(11, 2, "second", 200),
                A1, new CommittedOffset(20, 1, null, 100)));
        assertThat(store.committedOffsets("g1")).isEqualTo(Map.of(B0, new CommittedOffset(1, -1, "", 5)));
        assertThat(store.groupIds()).containsExactly("g1", "g2");
        assertThat(store.committedOffsets("g3")).isEmpty();
    }

    // ---- agents

    @Test
    void registersRefreshesExpiresAndDeregistersAgents() {
        int first = store.registerAgent(-1, "h1", 9092, "az1");
        int second = store.registerAgent(-1, "h2", 9093, null);
        assertThat(first).isEqualTo(1);
        assertThat(second).isEqualTo(2);
        assertThat(store.liveAgents(1000)).containsExactly(
                new AgentInfo(1, "h1", 9092, "az1"), new AgentInfo(2, "h2", 9093, null));

        time.advance(600);
        assertThat(store.registerAgent(first, "h1b", 9094, "az2")).isEqualTo(first);
        time.advance(600);
        assertThat(store.liveAgents(1000)).containsExactly(new AgentInfo(1, "h1b", 9094, "az2"));
        assertThat(store.liveAgents(1200)).hasSize(2);

        // An agent coming back with its old id after expiry is live again.
        assertThat(store.registerAgent(second, "h2", 9093, null)).isEqualTo(second);
        assertThat(store.liveAgents(1000)).extracting(AgentInfo::nodeId).containsExactly(1, 2);

        store.deregisterAgent(first);
        assertThat(store.liveAgents(1000)).extracting(AgentInfo::nodeId).containsExactly(2);
        // Deregistered ids are not handed out again.
        assertThat(store.registerAgent(-1, "h3", 1, null)).isEqualTo(3);
    }

    @Test
    void anExplicitNodeIdIsKeptAndNotAllocatedAgain() {
        assertThat(store.registerAgent(5, "h5", 1, null)).isEqualTo(5);
        assertThat(store.registerAgent(-1, "h", 1, null)).isEqualTo(6);
        assertThat(store.liveAgents(0)).extracting(AgentInfo::nodeId).containsExactly(5, 6);
        Optional<AgentInfo> five = store.liveAgents(0).stream().filter(a -> a.nodeId() == 5).findFirst();
        assertThat(five).contains(new AgentInfo(5, "h5", 1, null));
    }
}
