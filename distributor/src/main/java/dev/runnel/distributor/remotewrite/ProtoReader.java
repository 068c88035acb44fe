package dev.runnel.distributor.remotewrite;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads the protobuf wire format straight from the request body array: a position and the end
 * of the message being read, nothing else. The decoders' hot loops (series, labels, samples) run
 * on it rather than on {@code CodedInputStream}, whose per-field limit bookkeeping cost about as
 * much as the decoding itself. Strings are not read but skipped: their offset is the position.
 * Every read is checked against the end, so a truncated or malformed body is an
 * {@link InvalidProtocolBufferException}, never an index error.
 */
final class ProtoReader {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    private static final int START_GROUP = 3;
    private static final int END_GROUP = 4;
    private static final int FIXED32 = 5;
    /** As deep as {@code CodedInputStream} lets groups nest. */
    private static final int MAX_GROUP_DEPTH = 100;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] buf;
    private int pos;
    private int limit;

    ProtoReader(byte[] buf) {
        this.buf = buf;
        this.limit = buf.length;
    }

    static int tag(int field, int wireType) {
        return (field << 3) | wireType;
    }

    /** The offset in the array of the next byte to read. */
    int position() {
        return pos;
    }

    /** Whether the current message has been read to its end. */
    boolean atEnd() {
        return pos == limit;
    }

    /** The next field's tag, or 0 at the end of the current message. */
    int readTag() throws InvalidProtocolBufferException {
        if (atEnd()) {
            return 0;
        }
        int tag = readVarint32();
        if (tag >>> 3 == 0) {
            throw new InvalidProtocolBufferException("a field has the invalid number 0 (tag " + tag + ") at byte " + (pos - 1));
        }
        return tag;
    }

    int readVarint32() throws InvalidProtocolBufferException {
        if (pos < limit && buf[pos] >= 0) {
            return buf[pos++];
        }
        return (int) readVarint64();
    }

    long readVarint64() throws InvalidProtocolBufferException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos == limit) {
                throw truncated();
            }
            byte b = buf[pos++];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new InvalidProtocolBufferException("a varint is longer than 10 bytes at byte " + pos);
    }

    double readDouble() throws InvalidProtocolBufferException {
        if (limit - pos < 8) {
            throw truncated();
        }
        long bits = (long) LONGS.get(buf, pos);
        pos += 8;
        return Double.longBitsToDouble(bits);
    }

    /** Reads a length prefix and checks that so many bytes are left in the current message. */
    int readLength() throws InvalidProtocolBufferException {
        int length = readVarint32();
        if (length < 0) {
            throw new InvalidProtocolBufferException("a length-delimited field has the negative length " + length);
        }
        if (length > limit - pos) {
            throw truncated();
        }
        return length;
    }

    /** Reads a length prefix and makes the message it announces the current one; returns the outer end for {@link #popLimit}. */
    int pushLimit() throws InvalidProtocolBufferException {
        int length = readLength();
        int outer = limit;
        limit = pos + length;
        return outer;
    }

    void popLimit(int outer) {
        limit = outer;
    }

    void skip(int length) {
        pos += length; // the length came from readLength, which checked it
    }

    /** Parses the length-delimited message that follows with a generated message class's parser; for rare fields. */
    <T> T readMessage(Parser<T> parser) throws InvalidProtocolBufferException {
        int length = readLength();
        T message = parser.parseFrom(buf, pos, length);
        pos += length;
        return message;
    }

    /** Skips the field whose tag was just read, whatever its wire type. */
    void skipField(int tag) throws InvalidProtocolBufferException {
        skipField(tag, 0);
    }

    private void skipField(int tag, int depth) throws InvalidProtocolBufferException {
        switch (tag & 7) {
            case VARINT -> readVarint64();
            case FIXED64 -> skipFixed(8);
            case LENGTH_DELIMITED -> skip(readLength());
            case START_GROUP -> skipGroup(tag >>> 3, depth + 1);
            case END_GROUP -> {
                // an end-group tag where none was opened: ignored, as CodedInputStream does
            }
            case FIXED32 -> skipFixed(4);
            default -> throw new InvalidProtocolBufferException("field " + (tag >>> 3) + " has the invalid wire type " + (tag & 7));
        }
    }

    private void skipFixed(int length) throws InvalidProtocolBufferException {
        if (limit - pos < length) {
            throw truncated();
        }
        pos += length;
    }

    private void skipGroup(int field, int depth) throws InvalidProtocolBufferException {
        if (depth > MAX_GROUP_DEPTH) {
            throw new InvalidProtocolBufferException("groups are nested more than " + MAX_GROUP_DEPTH + " deep");
        }
        int tag;
        while ((tag = readTag()) != tag(field, END_GROUP)) {
            if (tag == 0) {
                throw new InvalidProtocolBufferException("group " + field + " has no end");
            }
            if ((tag & 7) == END_GROUP) {
                throw new InvalidProtocolBufferException("group " + field + " is ended by the end of group " + (tag >>> 3));
            }
            skipField(tag, depth);
        }
    }

    private InvalidProtocolBufferException truncated() {
        return new InvalidProtocolBufferException("the message ends in the middle of a field (at byte " + pos
                + " of a message ending at byte " + limit + ")");
    }
}
