package dev.runnel.distributor.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.runnel.proto.prometheus.Label;
import dev.runnel.proto.prometheus.TimeSeries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ProtoReaderTest {

    @Test
    void unknownFieldsOfEveryWireTypeAreSkippedAtEveryLevel() throws Exception {
        byte[] series = concat(unknownFields(), TimeSeries.newBuilder()
                .addLabels(Label.newBuilder().setName("__name__").setValue("up")).build().toByteArray());
        byte[] body = concat(unknownFields(), field(1, series), unknownFields());

        var batch = RemoteWrite1Decoder.decode(body);

        assertThat(batch.seriesCount()).isEqualTo(1);
        assertThat(batch.metricName(0)).isEqualTo("up");
    }

    @Test
    void readsVarintsAndDoublesOfEveryLength() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        long[] values = {0, 1, 127, 128, 300, Integer.MAX_VALUE, -1, Long.MIN_VALUE, Long.MAX_VALUE};
        for (long v : values) {
            out.writeInt64NoTag(v);
        }
        out.writeDoubleNoTag(-2.5);
        out.flush();
        ProtoReader in = new ProtoReader(bytes.toByteArray());
        for (long v : values) {
            assertThat(in.readVarint64()).isEqualTo(v);
        }
        assertThat(in.readDouble()).isEqualTo(-2.5);
        assertThat(in.atEnd()).isTrue();
    }

    @Test
    void malformedInputIsAProtocolError() {
        byte[][] bodies = {
                {0x00}, // field number 0
                {0x0f}, // wire type 7
                {0x0e}, // wire type 6
                {0x0b, 0x0a, 0x00}, // a group of field 1 without its end
                {0x0b, 0x14}, // a group of field 1 ended by field 2's end
                {0x08, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                        (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01}, // an 11-byte varint
                {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}, // a negative length
                {0x0a, 0x05, 0x01}, // a length beyond the end
                {0x09, 0x01, 0x02}, // a cut fixed64
                {0x0d, 0x01}, // a cut fixed32
        };
        for (byte[] body : bodies) {
            assertThatThrownBy(() -> RemoteWrite1Decoder.decode(body)).as(Arrays.toString(body))
                    .isInstanceOf(InvalidProtocolBufferException.class);
        }
    }

    @Test
    void deeplyNestedGroupsAreRefused() {
        int depth = 200;
        byte[] body = new byte[depth * 2];
        Arrays.fill(body, 0, depth, (byte) 0x0b); // start group 1
        Arrays.fill(body, depth, 2 * depth, (byte) 0x0c); // end group 1
        assertThatThrownBy(() -> RemoteWrite1Decoder.decode(body)).isInstanceOf(InvalidProtocolBufferException.class)
                .hasMessageContaining("nested");
    }

    /** Fields 15 to 19 of every wire type, a group holding a nested group among them. */
    private static byte[] unknownFields() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeInt64(15, -7);
        out.writeFixed64(16, 42);
        out.writeString(17, "ignored");
        out.writeFixed32(18, 9);
        out.writeTag(19, WireFormat.WIRETYPE_START_GROUP);
        out.writeTag(20, WireFormat.WIRETYPE_START_GROUP);
        out.writeInt32(1, 5);
        out.writeTag(20, WireFormat.WIRETYPE_END_GROUP);
        out.writeString(2, "x");
        out.writeTag(19, WireFormat.WIRETYPE_END_GROUP);
        out.flush();
        return bytes.toByteArray();
    }

    private static byte[] field(int number, byte[] message) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeByteArray(number, message);
        out.flush();
        return bytes.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
