package dev.runnel.log.produce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.log.metadata.AppendResult;
import dev.runnel.log.metadata.IndexEntry;
import dev.runnel.log.metadata.MetadataStore;
import dev.runnel.log.metadata.ProducerBatch;
import dev.runnel.log.metadata.SqliteMetadataStore;
import dev.runnel.log.objectstore.FlakyObjectStore;
import dev.runnel.log.segment.SegmentReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProduceBufferTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    @TempDir
    Path dir;
    MetadataStore metadata;
    final java.util.concurrent.atomic.AtomicInteger commitTransactions = new java.util.concurrent.atomic.AtomicInteger();
    FlakyObjectStore objects;
    ScheduledExecutorService scheduler;
    ExecutorService committer;
    List<CommittedFlush> announced;

    @BeforeEach
    void setUp() {
        metadata = SqliteMetadataStore.open(dir.resolve("metadata.db"), Time.SYSTEM);
        metadata.createTopic("t", 2, Map.of());
        objects = new FlakyObjectStore();
        scheduler = Executors.newSingleThreadScheduledExecutor();
        committer = Executors.newSingleThreadExecutor();
        announced = new CopyOnWriteArrayList<>();
    }

    @AfterEach
    void tearDown() {
        scheduler.shutdownNow();
        committer.shutdownNow();
        metadata.close();
    }

    private ProduceBuffer buffer(Duration batchTimeout, int maxBytes, Duration writeTimeout) {
        MetadataStore counting = (MetadataStore) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MetadataStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("commit") && args.length == 1) {
                        commitTransactions.incrementAndGet();
                    }
                    try {
                        return method.isDefault() ? java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args)
                                : method.invoke(metadata, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return new ProduceBuffer(new ProduceConfig(batchTimeout, maxBytes, writeTimeout), objects, counting, scheduler, committer,
                Time.SYSTEM, new SegmentKeys(Time.SYSTEM, () -> 7), announced::add);
    }

    private static ByteBuffer batch(String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(values[i].getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withRecords(Compression.NONE, records).buffer();
    }

    private static ByteBuffer idempotentBatch(long producerId, int baseSequence, String value) {
        return MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, (short) 0, baseSequence,
                new SimpleRecord(value.getBytes(StandardCharsets.UTF_8))).buffer();
    }

    @Test
    void oneFlushWritesOneObjectForAllPartitionsAndAcknowledgesAfterTheCommit() throws Exception {
        ProduceBuffer buffer = buffer(Duration.ofMillis(50), 1 << 20, Duration.ofSeconds(5));
        CompletableFuture<AppendResult> a = buffer.append(P0, batch("a1", "a2"), ProducerBatch.NONE);
        CompletableFuture<AppendResult> b = buffer.append(P1, batch("b1"), ProducerBatch.NONE);
        CompletableFuture<AppendResult> c = buffer.append(P0, batch("a3"), ProducerBatch.NONE);

        assertThat(a.get(5, TimeUnit.SECONDS).baseOffset()).isEqualTo(0);
        assertThat(c.get(5, TimeUnit.SECONDS).baseOffset()).isEqualTo(2);
        assertThat(b.get(5, TimeUnit.SECONDS).baseOffset()).isEqualTo(0);
        assertThat(objects.objects).hasSize(1);
        String key = objects.objects.keySet().iterator().next();
        assertThat(key).matches("segments/\\d{4}/\\d{2}/\\d{2}/7-[0-9a-f-]{36}\\.seg");
        assertThat(SegmentReader.readIndex(objects.objects.get(key))).hasSize(2);
        List<IndexEntry> entries = metadata.entries(P0, 0, 10);
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).lastOffset()).isEqualTo(2);
        assertThat(announced).hasSize(1);
        assertThat(announced.get(0).advanced()).containsExactly(P0, P1);
        assertThat(announced.get(0).objectKey()).isEqualTo(key);
        assertThat(announced.get(0).object()).isEqualTo(objects.objects.get(key));
        buffer.close();
    }

    @Test
    void aFullWindowFlushesWithoutWaitingForTheTimeout() throws Exception {
        ProduceBuffer buffer = buffer(Duration.ofMinutes(10), 100, Duration.ofSeconds(5));
        AppendResult result = buffer.append(P0, batch("x".repeat(200)), ProducerBatch.NONE).get(10, TimeUnit.SECONDS);
        assertThat(result.error()).isEqualTo(Errors.NONE);
        buffer.close();
    }

    @Test
    void aFailingObjectStoreIsRetriedAndTheAcknowledgementWaitsForIt() throws Exception {
        objects.failingPuts = 3;
        ProduceBuffer buffer = buffer(Duration.ofMillis(10), 1 << 20, Duration.ofSeconds(10));
        AppendResult result = buffer.append(P0, batch("x"), ProducerBatch.NONE).get(10, TimeUnit.SECONDS);
        assertThat(result.error()).isEqualTo(Errors.NONE);
        assertThat(objects.putAttempts.get()).isEqualTo(4);
        assertThat(metadata.offsets(P0).orElseThrow().highWatermark()).isEqualTo(1);
        buffer.close();
    }

    @Test
    void aStoreThatStaysDownFailsTheBatchRetriablyAndNothingBecomesVisible() throws Exception {
        objects.failingPuts = -1;
        ProduceBuffer buffer = buffer(Duration.ofMillis(10), 1 << 20, Duration.ofMillis(300));
        AppendResult result = buffer.append(P0, batch("x"), ProducerBatch.NONE).get(10, TimeUnit.SECONDS);
        assertThat(result.error()).isEqualTo(Errors.KAFKA_STORAGE_ERROR);
        assertThat(result.error().exception().getClass().getSuperclass().getSimpleName()).isEqualTo("InvalidMetadataException");
        assertThat(metadata.offsets(P0).orElseThrow().highWatermark()).isZero();
        assertThat(objects.putAttempts.get()).isGreaterThan(1);
        buffer.close();
    }

    @Test
    void flushesCommitInOrderEvenWhenALaterObjectIsWrittenFirst() throws Exception {
        ProduceBuffer buffer = buffer(Duration.ofMinutes(10), 10, Duration.ofSeconds(10));
        objects.nextPutDelayMillis = 300;
        CompletableFuture<AppendResult> first = buffer.append(P0, idempotentBatch(5, 0, "first"), new ProducerBatch(5, (short) 0, 0, 0));
        CompletableFuture<AppendResult> second = buffer.append(P0, idempotentBatch(5, 1, "second"), new ProducerBatch(5, (short) 0, 1, 1));
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(AppendResult.appended(0, 0));
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(AppendResult.appended(1, 0));
        assertThat(objects.objects).hasSize(2);
        buffer.close();
    }

    @Test
    void aRetriedDuplicateKeepsItsChunkOutOfTheCommittedChunks() throws Exception {
        ProduceBuffer buffer = buffer(Duration.ofMillis(20), 1 << 20, Duration.ofSeconds(5));
        buffer.append(P0, idempotentBatch(9, 0, "once"), new ProducerBatch(9, (short) 0, 0, 0)).get(5, TimeUnit.SECONDS);
        CompletableFuture<AppendResult> retry = buffer.append(P0, idempotentBatch(9, 0, "once"), new ProducerBatch(9, (short) 0, 0, 0));
        CompletableFuture<AppendResult> next = buffer.append(P0, idempotentBatch(9, 1, "twice"), new ProducerBatch(9, (short) 0, 1, 1));
        CompletableFuture<AppendResult> other = buffer.append(P1, batch("other"), ProducerBatch.NONE);
        assertThat(retry.get(5, TimeUnit.SECONDS)).isEqualTo(AppendResult.duplicateOf(0, 0));
        assertThat(next.get(5, TimeUnit.SECONDS)).isEqualTo(AppendResult.appended(1, 0));
        other.get(5, TimeUnit.SECONDS);
        CommittedFlush second = announced.get(announced.size() - 1);
        assertThat(second.advanced()).containsExactlyInAnyOrder(P0, P1);
        assertThat(metadata.offsets(P0).orElseThrow().highWatermark()).isEqualTo(2);
        buffer.close();
    }

    @Test
    void flushesWrittenWhileACommitIsSlowAreCommittedTogether() throws Exception {
        ProduceBuffer buffer = buffer(Duration.ofMinutes(10), 10, Duration.ofSeconds(10));
        objects.nextPutDelayMillis = 300;
        List<CompletableFuture<AppendResult>> results = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            results.add(buffer.append(i % 2 == 0 ? P0 : P1, batch("flush-" + i), ProducerBatch.NONE));
        }
        for (CompletableFuture<AppendResult> result : results) {
            assertThat(result.get(10, TimeUnit.SECONDS).isAppended()).isTrue();
        }
        // The first object took 300 ms; the four written meanwhile waited for it and went in one transaction.
        assertThat(objects.objects).hasSize(5);
        assertThat(results.get(4).get().baseOffset()).isEqualTo(2);
        assertThat(metadata.entries(P0, 0, 10)).hasSize(3);
        assertThat(announced).hasSize(5);
        assertThat(commitTransactions.get()).isLessThanOrEqualTo(2);
        buffer.close();
    }

    @Test
    void closeFlushesWhatIsBuffered() throws Exception {
        ProduceBuffer buffer = buffer(Duration.ofMinutes(10), 1 << 20, Duration.ofSeconds(5));
        CompletableFuture<AppendResult> pending = buffer.append(P1, batch("late"), ProducerBatch.NONE);
        buffer.close();
        assertThat(pending.getNow(null)).isEqualTo(AppendResult.appended(0, 0));
        assertThat(buffer.append(P1, batch("after close"), ProducerBatch.NONE).get().error()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
    }
}
