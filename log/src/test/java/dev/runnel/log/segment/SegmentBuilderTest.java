package dev.runnel.log.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

class SegmentBuilderTest {
    private static final TopicPartition A0 = new TopicPartition("a", 0);
    private static final TopicPartition A1 = new TopicPartition("a", 1);
    private static final TopicPartition B0 = new TopicPartition("b", 0);

    static ByteBuffer batch(long timestamp, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(timestamp + i, null, values[i].getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withRecords(Compression.NONE, records).buffer();
    }

    @Test
    void groupsEachPartitionsBatchesIntoOneChunkInArrivalOrder() {
        SegmentBuilder builder = new SegmentBuilder();
        int first = builder.add(A0, batch(100, "x1", "x2"));
        int second = builder.add(B0, batch(200, "y1"));
        int third = builder.add(A0, batch(300, "x3"));
        int fourth = builder.add(A1, batch(400, "z1", "z2", "z3"));
        Segment segment = builder.build(42L);

        List<SegmentChunk> chunks = SegmentReader.readIndex(segment.bytes());
        assertThat(chunks).extracting(SegmentChunk::partition).containsExactly(A0, B0, A1);
        SegmentChunk a0 = chunks.get(0);
        assertThat(a0.batchCount()).isEqualTo(2);
        assertThat(a0.offsetCount()).isEqualTo(3);
        assertThat(a0.maxTimestamp()).isEqualTo(300);
        // A0's two batches are adjacent even though B0's batch arrived between them.
        int[] positions = segment.batchPositions();
        assertThat(positions[third]).isEqualTo(positions[first] + BatchOffsets.batchSize(segment.bytes(), positions[first]));
        assertThat(positions[second]).isEqualTo(a0.position() + a0.size());
        assertThat(positions[fourth]).isEqualTo(chunks.get(2).position());
        assertThat(chunks.get(2).offsetCount()).isEqualTo(3);
    }

    @Test
    void assigningOffsetsKeepsBatchesValidAndNumbersRecordsConsecutively() {
        SegmentBuilder builder = new SegmentBuilder();
        builder.add(A0, batch(100, "x1", "x2"));
        builder.add(A0, batch(300, "x3"));
        Segment segment = builder.build(0L);
        SegmentChunk chunk = SegmentReader.readIndex(segment.bytes()).get(0);
        ByteBuffer range = ByteBuffer.allocate(chunk.size());
        range.put(segment.bytes().duplicate().position(chunk.position()).limit(chunk.position() + chunk.size())).flip();

        long next = BatchOffsets.assign(range, 1_000L);

        assertThat(next).isEqualTo(1_003L);
        List<Long> offsets = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (MutableRecordBatch batch : MemoryRecords.readableRecords(range).batches()) {
            assertThat(batch.isValid()).isTrue();
            for (Record record : batch) {
                offsets.add(record.offset());
                values.add(StandardCharsets.UTF_8.decode(record.value()).toString());
            }
        }
        assertThat(offsets).containsExactly(1_000L, 1_001L, 1_002L);
        assertThat(values).containsExactly("x1", "x2", "x3");
    }

    @Test
    void aFlippedByteInAChunkFailsItsChecksum() {
        SegmentBuilder builder = new SegmentBuilder();
        builder.add(A0, batch(100, "x1"));
        ByteBuffer bytes = builder.build(0L).bytes();
        int victim = 16 + 30;
        bytes.put(victim, (byte) (bytes.get(victim) ^ 1));
        assertThatThrownBy(() -> SegmentReader.readIndex(bytes))
                .isInstanceOf(CorruptSegmentException.class).hasMessageContaining("checksum mismatch in chunk of a-0");
    }

    @Test
    void aTruncatedObjectIsRejected() {
        SegmentBuilder builder = new SegmentBuilder();
        builder.add(A0, batch(100, "x1"));
        ByteBuffer bytes = builder.build(0L).bytes();
        ByteBuffer truncated = bytes.duplicate().limit(bytes.limit() - 3);
        assertThatThrownBy(() -> SegmentReader.readIndex(truncated)).isInstanceOf(CorruptSegmentException.class);
    }

    @Test
    void anotherVersionIsRejectedWithAClearError() {
        SegmentBuilder builder = new SegmentBuilder();
        builder.add(A0, batch(100, "x1"));
        ByteBuffer bytes = builder.build(0L).bytes();
        bytes.putShort(4, (short) 9);
        assertThatThrownBy(() -> SegmentReader.readIndex(bytes)).hasMessage("unsupported segment version 9, expected 1");
    }

    @Test
    void assignRejectsARangeThatDoesNotTileIntoBatches() {
        ByteBuffer one = batch(100, "x1");
        ByteBuffer cut = ByteBuffer.allocate(one.remaining() - 5);
        cut.put(one.duplicate().limit(one.limit() - 5)).flip();
        assertThatThrownBy(() -> BatchOffsets.assign(cut, 0)).isInstanceOf(CorruptSegmentException.class);
    }
}
