package dev.runnel.log.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.log.fetch.PartitionReader.PartitionFetch;
import dev.runnel.log.metadata.MetadataStore;
import dev.runnel.log.metadata.ProducerBatch;
import dev.runnel.log.metadata.SqliteMetadataStore;
import dev.runnel.log.objectstore.FlakyObjectStore;
import dev.runnel.log.produce.CommittedFlush;
import dev.runnel.log.produce.ProduceBuffer;
import dev.runnel.log.produce.ProduceConfig;
import dev.runnel.log.produce.SegmentKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionReaderTest {
    private static final int PARTITIONS = 3;
    private static final int VALUE_BYTES = 1000;

    @TempDir
    Path dir;
    MetadataStore metadata;
    FlakyObjectStore objects;
    ScheduledExecutorService scheduler;
    ExecutorService executor;

    @BeforeEach
    void setUp() {
        metadata = SqliteMetadataStore.open(dir.resolve("metadata.db"), Time.SYSTEM);
        metadata.createTopic("t", PARTITIONS, Map.of());
        objects = new FlakyObjectStore();
        scheduler = Executors.newSingleThreadScheduledExecutor();
        executor = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void tearDown() {
        scheduler.shutdownNow();
        executor.shutdownNow();
        metadata.close();
    }

    /** Each request becomes one object (batch-max-bytes of 1) holding one batch of each listed partition. */
    private void produce(int maxBytesPerWindow, List<List<ProduceBuffer.Batch>> requests) {
        produce(maxBytesPerWindow, requests, flush -> { });
    }

    private void produce(int maxBytesPerWindow, List<List<ProduceBuffer.Batch>> requests, Consumer<CommittedFlush> onCommitted) {
        ProduceBuffer buffer = new ProduceBuffer(new ProduceConfig(Duration.ofMillis(20), maxBytesPerWindow, Duration.ofSeconds(5)),
                objects, metadata, scheduler, executor, Time.SYSTEM, new SegmentKeys(Time.SYSTEM, () -> 1), onCommitted);
        List<CompletableFuture<?>> acks = new ArrayList<>();
        for (List<ProduceBuffer.Batch> request : requests) {
            acks.addAll(buffer.append(request));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
        buffer.close();
    }

    private static ProduceBuffer.Batch batch(int partition, String tag) {
        byte[] value = (tag + "-" + "x".repeat(VALUE_BYTES)).substring(0, VALUE_BYTES).getBytes(StandardCharsets.UTF_8);
        return new ProduceBuffer.Batch(tp(partition), MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(value)).buffer(),
                ProducerBatch.NONE);
    }

    private static TopicPartition tp(int partition) {
        return new TopicPartition("t", partition);
    }

    private List<PartitionRead> read(PartitionReader reader, long offset, int partitionMaxBytes, int maxBytes) {
        List<PartitionFetch> fetches = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            fetches.add(new PartitionFetch(tp(p), offset, partitionMaxBytes));
        }
        return reader.read(fetches, maxBytes).stream().map(CompletableFuture::join).toList();
    }

    private static List<String> values(PartitionRead read) {
        List<String> values = new ArrayList<>();
        for (Record record : MemoryRecords.readableRecords(read.records()).records()) {
            values.add(record.offset() + ":" + StandardCharsets.UTF_8.decode(record.value()).toString().split("-")[0]);
        }
        return values;
    }

    @Test
    void theFetchBudgetIsSharedAcrossPartitionsSoThatAFetchReadsFewObjects() {
        List<List<ProduceBuffer.Batch>> requests = new ArrayList<>();
        for (int flush = 0; flush < 6; flush++) {
            List<ProduceBuffer.Batch> request = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                request.add(batch(p, "f" + flush));
            }
            requests.add(request);
        }
        produce(1, requests);
        assertThat(objects.objects).hasSize(6);
        PartitionReader reader = new PartitionReader(metadata, new RangeCache(objects, 64 << 20), executor);

        // Room for two flushes' worth of all three partitions, each of which alone could take everything.
        int twoFlushes = 2 * PARTITIONS * (VALUE_BYTES + 100);
        List<PartitionRead> reads = read(reader, 0, 1 << 20, twoFlushes);

        for (PartitionRead read : reads) {
            assertThat(values(read)).containsExactly("0:f0", "1:f1");
        }
        assertThat(objects.rangeGets.get()).as("objects read").isEqualTo(2);
    }

    @Test
    void theFirstBatchIsAnsweredEvenWhenItExceedsTheBudgetAndTheOthersWait() {
        produce(1, List.of(List.of(batch(0, "a"), batch(1, "b"), batch(2, "c"))));
        PartitionReader reader = new PartitionReader(metadata, new RangeCache(objects, 64 << 20), executor);

        List<PartitionRead> reads = read(reader, 0, 1 << 20, 1);

        assertThat(values(reads.get(0))).containsExactly("0:a");
        assertThat(reads.get(1).bytes()).isZero();
        assertThat(reads.get(2).bytes()).isZero();
        assertThat(reads.get(2).highWatermark()).isEqualTo(1);
    }

    @Test
    void aFetchFromTheMiddleOfAnIndexEntryStartsAtTheBatchHoldingTheOffset() {
        // Two requests in one window: partition 0's entry in that object holds offsets 0 and 1.
        produce(1 << 20, List.of(List.of(batch(0, "a")), List.of(batch(0, "b"))));
        PartitionReader reader = new PartitionReader(metadata, new RangeCache(objects, 64 << 20), executor);
        assertThat(metadata.entries(tp(0), 0, 10)).hasSize(1);

        PartitionRead read = reader.read(List.of(new PartitionFetch(tp(0), 1, 1 << 20)), 1 << 20).get(0).join();

        assertThat(values(read)).containsExactly("1:b");
    }

    @Test
    void readersSharingCachedBytesAllSeeTheOffsetsAssignedInPlace() {
        RangeCache cache = new RangeCache(objects, 64 << 20);
        // Two objects; partition 0's entry in each holds two batches, read through the cached objects.
        produce(1 << 20, List.of(List.of(batch(0, "a")), List.of(batch(0, "b"))),
                flush -> cache.putCommitted(flush.objectKey(), flush.object()));
        produce(1 << 20, List.of(List.of(batch(0, "c")), List.of(batch(0, "d"))),
                flush -> cache.putCommitted(flush.objectKey(), flush.object()));
        PartitionReader reader = new PartitionReader(metadata, cache, executor);

        PartitionRead first = reader.read(List.of(new PartitionFetch(tp(0), 0, 2 * VALUE_BYTES + 200)), 1 << 20).get(0).join();
        PartitionRead fromTheMiddle = reader.read(List.of(new PartitionFetch(tp(0), 3, 1 << 20)), 1 << 20).get(0).join();
        PartitionRead again = reader.read(List.of(new PartitionFetch(tp(0), 0, 1 << 20)), 1 << 20).get(0).join();

        assertThat(values(first)).containsExactly("0:a", "1:b");
        assertThat(values(fromTheMiddle)).containsExactly("3:d");
        assertThat(values(again)).containsExactly("0:a", "1:b", "2:c", "3:d");
        assertThat(values(first)).as("the first answer, after the later reads wrote the same bytes").containsExactly("0:a", "1:b");
        assertThat(cache.get(metadata.entries(tp(0), 2, 1).get(0)).join())
                .as("the second entry as ListOffsets copies it out").isEqualTo(again.records().duplicate().position(first.bytes()).slice());
    }
}
