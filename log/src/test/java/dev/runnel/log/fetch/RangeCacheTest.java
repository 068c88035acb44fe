package dev.runnel.log.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.log.metadata.IndexEntry;
import dev.runnel.log.objectstore.FlakyObjectStore;
import dev.runnel.log.segment.SegmentBuilder;
import dev.runnel.log.segment.SegmentChunk;
import dev.runnel.log.segment.SegmentReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

class RangeCacheTest {
    private static final TopicPartition P = new TopicPartition("t", 0);

    private final FlakyObjectStore objects = new FlakyObjectStore();

    private IndexEntry storeOneChunk(String key, long baseOffset, String... values) {
        SegmentBuilder builder = new SegmentBuilder();
        for (String value : values) {
            builder.add(P, MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(value.getBytes(StandardCharsets.UTF_8))).buffer());
        }
        ByteBuffer object = builder.build(0).bytes();
        objects.objects.put(key, object);
        SegmentChunk chunk = SegmentReader.readIndex(object).get(0);
        return new IndexEntry(P, baseOffset, baseOffset + values.length - 1, key, chunk.position(), chunk.size(), -1);
    }

    @Test
    void concurrentReadersOfOneRangeShareOneGet() {
        IndexEntry entry = storeOneChunk("o1", 100, "a", "b");
        RangeCache cache = new RangeCache(objects, 1 << 20);
        objects.getGate = new CompletableFuture<>();
        List<CompletableFuture<ByteBuffer>> readers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            readers.add(cache.get(entry));
        }
        objects.getGate.complete(null);
        for (CompletableFuture<ByteBuffer> reader : readers) {
            assertThat(offsets(reader.join())).containsExactly(100L, 101L);
        }
        assertThat(objects.rangeGets.get()).isEqualTo(1);
        cache.get(entry).join();
        assertThat(objects.rangeGets.get()).isEqualTo(1);
    }

    @Test
    void aRangeCachedAtCommitIsServedWithoutAGet() {
        IndexEntry entry = storeOneChunk("o3", 40, "a", "b", "c");
        RangeCache cache = new RangeCache(objects, 1 << 20);
        ByteBuffer written = objects.objects.get("o3");
        ByteBuffer handedOver = ByteBuffer.allocate(written.remaining()).put(written.duplicate()).flip();
        cache.putCommitted("o3", handedOver);
        assertThat(offsets(cache.get(entry).join())).containsExactly(40L, 41L, 42L);
        assertThat(objects.rangeGets.get()).isZero();
    }

    @Test
    void rangesOfOneObjectShareOneGetOfItsHead() {
        SegmentBuilder builder = new SegmentBuilder();
        for (int p = 0; p < 8; p++) {
            builder.add(new TopicPartition("t", p), MemoryRecords.withRecords(Compression.NONE,
                    new SimpleRecord(("v" + p).getBytes(StandardCharsets.UTF_8))).buffer());
        }
        ByteBuffer object = builder.build(0).bytes();
        objects.objects.put("shared", object);
        RangeCache cache = new RangeCache(objects, 1 << 20);
        for (SegmentChunk chunk : SegmentReader.readIndex(object)) {
            IndexEntry entry = new IndexEntry(chunk.partition(), 7, 7, "shared", chunk.position(), chunk.size(), -1);
            assertThat(offsets(cache.get(entry).join())).containsExactly(7L);
        }
        assertThat(objects.rangeGets.get()).isEqualTo(1);
    }

    @Test
    void aFailedReadIsNotCached() {
        IndexEntry entry = new IndexEntry(P, 0, 0, "missing", 16, 80, -1);
        RangeCache cache = new RangeCache(objects, 1 << 20);
        assertThatThrownBy(() -> cache.get(entry).join()).hasMessageContaining("object not found: missing");
        assertThatThrownBy(() -> cache.get(entry).join()).hasMessageContaining("object not found: missing");
        assertThat(objects.rangeGets.get()).isEqualTo(2);
    }

    @Test
    void anIndexEntryThatDisagreesWithTheBytesIsReportedCorrupt() {
        IndexEntry stored = storeOneChunk("o2", 0, "a", "b");
        IndexEntry wrong = new IndexEntry(P, 0, 5, stored.objectKey(), stored.position(), stored.size(), -1);
        assertThatThrownBy(() -> new RangeCache(objects, 1 << 20).get(wrong).join()).hasMessageContaining("end at offset 1, the index says 5");
    }

    private static List<Long> offsets(ByteBuffer range) {
        List<Long> offsets = new ArrayList<>();
        MemoryRecords.readableRecords(range).records().forEach((Record r) -> offsets.add(r.offset()));
        return offsets;
    }
}
