package dev.runnel.log.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.Random;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.Test;

class ChunkedWritableTest {
    @Test
    void writesTheSameBytesAsKafkasOwnSerializerAcrossChunkBoundaries() {
        byte[] records = new byte[3 * ChunkedWritable.CHUNK_BYTES + 12_345];
        new Random(7).nextBytes(records);
        FetchResponseData response = new FetchResponseData().setThrottleTimeMs(-3).setSessionId(0);
        FetchResponseData.FetchableTopicResponse topic = new FetchResponseData.FetchableTopicResponse()
                .setTopic("t").setTopicId(Uuid.randomUuid());
        for (int p = 0; p < 3; p++) {
            topic.partitions().add(new FetchResponseData.PartitionData().setPartitionIndex(p).setHighWatermark(1L << 40 | p)
                    .setLogStartOffset(-1).setRecords(MemoryRecords.readableRecords(ByteBuffer.wrap(records, p * 1000, records.length - p * 1000).slice())));
        }
        response.responses().add(topic);
        for (short version : new short[] {4, 12, 16}) {
            ObjectSerializationCache cache = new ObjectSerializationCache();
            int size = response.size(cache, version);
            ByteBuffer expected = ByteBuffer.allocate(size);
            response.write(new ByteBufferAccessor(expected), cache, version);

            ChunkedWritable writable = new ChunkedWritable(PooledByteBufAllocator.DEFAULT, size);
            response.write(writable, cache, version);
            CompositeByteBuf written = writable.finish();
            try {
                assertThat(written.readableBytes()).isEqualTo(size);
                assertThat(written.numComponents()).isGreaterThan(3);
                assertThat(ByteBufUtil.getBytes(written)).isEqualTo(expected.array());
            } finally {
                written.release();
            }
        }
    }
}
