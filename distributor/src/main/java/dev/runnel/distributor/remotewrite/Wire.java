package dev.runnel.distributor.remotewrite;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.runnel.distributor.write.WriteBatchBuilder;
import java.io.IOException;

/** Wire-level reading shared by the remote write decoders. */
final class Wire {

    private Wire() {
    }

    /**
     * Skips a string of {@code length} bytes and returns its offset in the input array. The
     * decoders' streams are made over the whole body array, so the bytes read so far are the offset.
     */
    static int skipString(CodedInputStream in, int length) throws IOException {
        if (length < 0) {
            throw new InvalidProtocolBufferException("a string has a negative length");
        }
        int offset = in.getTotalBytesRead();
        in.skipRawBytes(length);
        return offset;
    }

    /** Reads the fields of a {@code Sample} message (value = 1, timestamp = 2), the same in 1.0 and 2.0. */
    static void readSample(CodedInputStream in, WriteBatchBuilder batch) throws IOException {
        double value = 0;
        long timestamp = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (tag) {
                case (1 << 3) | WireFormat.WIRETYPE_FIXED64 -> value = in.readDouble();
                case (2 << 3) | WireFormat.WIRETYPE_VARINT -> timestamp = in.readInt64();
                default -> in.skipField(tag);
            }
        }
        batch.sample(timestamp, value);
    }
}
