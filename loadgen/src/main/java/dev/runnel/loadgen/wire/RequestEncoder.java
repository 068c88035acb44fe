package dev.runnel.loadgen.wire;

import dev.runnel.loadgen.series.Batch;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.xerial.snappy.Snappy;

/** Encodes a batch as a snappy-compressed (block format) remote-write body. One per shard: not thread-safe. */
public abstract class RequestEncoder {
    RequestEncoder() {
    }

    /** The uncompressed protobuf message. */
    abstract byte[] protobuf(Batch batch);

    /** The request body: the protobuf message, snappy block-compressed as remote write requires. */
    public final byte[] encode(Batch batch) {
        try {
            return Snappy.compress(protobuf(batch));
        } catch (IOException e) {
            throw new UncheckedIOException("snappy compression failed", e);
        }
    }
}
