package dev.runnel.ingester.record;

/**
 * Reads protobuf wire format straight from a byte array, for the record decoder's hot loop: no
 * objects per field, and a position that can be saved and restored to read a message twice.
 */
final class WireReader {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] buf;
    int pos;
    int limit;

    WireReader(byte[] buf) {
        this.buf = buf;
    }

    void reset(int pos, int limit) {
        this.pos = pos;
        this.limit = limit;
    }

    boolean hasMore() {
        return pos < limit;
    }

    int readTag() throws UndecodableRecordException {
        long tag = readVarint64();
        if (tag >>> 32 != 0 || (tag >>> 3) == 0) {
            throw malformed("invalid field tag " + tag + " at byte " + pos);
        }
        return (int) tag;
    }

    long readVarint64() throws UndecodableRecordException {
        // Tags, lengths and symbol references mostly take one or two bytes.
        int p = pos;
        if (limit - p >= 2) {
            byte b0 = buf[p];
            if (b0 >= 0) {
                pos = p + 1;
                return b0;
            }
            byte b1 = buf[p + 1];
            if (b1 >= 0) {
                pos = p + 2;
                return (b0 & 0x7f) | (long) b1 << 7;
            }
        }
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= limit) {
                throw malformed("a varint runs past the end of its message");
            }
            byte b = buf[pos++];
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw malformed("a varint is longer than 10 bytes");
    }

    int readVarint32() throws UndecodableRecordException {
        return (int) readVarint64();
    }

    long readFixed64() throws UndecodableRecordException {
        if (limit - pos < 8) {
            throw malformed("a fixed64 runs past the end of its message");
        }
        byte[] b = buf;
        int p = pos;
        pos = p + 8;
        return (b[p] & 0xffL) | (b[p + 1] & 0xffL) << 8 | (b[p + 2] & 0xffL) << 16 | (b[p + 3] & 0xffL) << 24
                | (b[p + 4] & 0xffL) << 32 | (b[p + 5] & 0xffL) << 40 | (b[p + 6] & 0xffL) << 48 | (b[p + 7] & 0xffL) << 56;
    }

    /** Reads a length prefix and returns where the field ends; the position is at its first byte. */
    int readLengthDelimitedEnd() throws UndecodableRecordException {
        long length = readVarint64();
        if (length < 0 || length > limit - pos) {
            throw malformed("a field of " + length + " bytes runs past the end of its message (" + (limit - pos) + " left)");
        }
        return pos + (int) length;
    }

    void skip(int tag) throws UndecodableRecordException {
        switch (tag & 7) {
            case VARINT -> readVarint64();
            case FIXED64 -> skipBytes(8);
            case LENGTH_DELIMITED -> pos = readLengthDelimitedEnd();
            case FIXED32 -> skipBytes(4);
            default -> throw malformed("field " + (tag >>> 3) + " has unsupported wire type " + (tag & 7));
        }
    }

    private void skipBytes(int n) throws UndecodableRecordException {
        if (limit - pos < n) {
            throw malformed("a field runs past the end of its message");
        }
        pos += n;
    }

    static UndecodableRecordException malformed(String message) {
        return new UndecodableRecordException(UndecodableRecordException.Reason.MALFORMED, message);
    }
}
