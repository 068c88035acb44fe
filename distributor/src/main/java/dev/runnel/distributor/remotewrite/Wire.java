package dev.runnel.distributor.remotewrite;

import static dev.runnel.distributor.remotewrite.ProtoReader.FIXED64;
import static dev.runnel.distributor.remotewrite.ProtoReader.VARINT;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.runnel.distributor.write.WriteBatchBuilder;

/** Wire-level reading shared by the remote write decoders. */
final class Wire {

    private Wire() {
    }

    /** Reads the fields of a {@code Sample} message (value = 1, timestamp = 2), the same in 1.0 and 2.0. */
    static void readSample(ProtoReader in, WriteBatchBuilder batch) throws InvalidProtocolBufferException {
        double value = 0;
        long timestamp = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (tag) {
                case (1 << 3) | FIXED64 -> value = in.readDouble();
                case (2 << 3) | VARINT -> timestamp = in.readVarint64();
                default -> in.skipField(tag);
            }
        }
        batch.sample(timestamp, value);
    }
}
