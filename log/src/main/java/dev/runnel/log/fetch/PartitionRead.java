package dev.runnel.log.fetch;

import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.Errors;

/** The answer for one partition of a fetch: an error, or record batches (possibly none). */
public record PartitionRead(Errors error, long highWatermark, long logStartOffset, ByteBuffer records) {
    static final ByteBuffer NO_RECORDS = ByteBuffer.allocate(0);

    static PartitionRead failed(Errors error) {
        return new PartitionRead(error, -1L, -1L, NO_RECORDS);
    }

    public int bytes() {
        return records.remaining();
    }
}
