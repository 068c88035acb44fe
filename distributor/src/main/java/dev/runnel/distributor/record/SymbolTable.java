package dev.runnel.distributor.record;

import com.google.protobuf.CodedOutputStream;
import dev.runnel.distributor.write.ByteHashing;
import dev.runnel.distributor.write.ByteRanges;
import java.util.Arrays;

/**
 * The symbols of one record: each distinct byte string once, numbered in order of first use,
 * with symbol 0 the empty string as remote write 2.0 requires. A new symbol is appended at
 * once, encoded as the record's {@code symbols} field (tag, length, bytes), to one buffer: the
 * record copies the field out in one piece, and look-ups compare keys with the symbols there,
 * close together, rather than wherever in the request they came from. Keys are byte ranges of
 * any array; a caller that knows a range's {@link ByteHashing#hash} passes it in.
 *
 * <p>The buffer's first {@code headerBytes} bytes are left to the caller, so that a whole record
 * can start as a copy of the buffer.
 */
final class SymbolTable {

    private static final byte[] EMPTY = new byte[0];
    /** Field 4 of {@code io.prometheus.write.v2.Request}, length-delimited. */
    private static final byte SYMBOL_FIELD_TAG = (4 << 3) | 2;

    private final int headerBytes;
    private byte[] buffer = new byte[4096];
    private int end;
    /** Per symbol: where its bytes start in the buffer, how many, and their {@link ByteHashing#hash}. */
    private int[] offsets = new int[64];
    private int[] lengths = new int[64];
    private int[] hashes = new int[64];
    private int count;
    /** Open addressing: symbol index + 1, 0 for an empty slot. */
    private int[] slots = new int[128];

    SymbolTable(int headerBytes) {
        this.headerBytes = headerBytes;
        clear();
    }

    void clear() {
        Arrays.fill(slots, 0);
        count = 0;
        end = headerBytes;
        add(EMPTY, 0, 0, hash(EMPTY, 0, 0));
    }

    int size() {
        return count;
    }

    /** Forgets the symbols added after the first {@code keep}. */
    void truncate(int keep) {
        if (keep >= count) {
            return;
        }
        end = offsets[keep] - CodedOutputStream.computeUInt32SizeNoTag(lengths[keep]) - 1;
        count = keep;
        Arrays.fill(slots, 0);
        for (int s = 0; s < count; s++) {
            place(s, hashes[s]);
        }
    }

    /** The symbol of the byte range, adding it if new. */
    int intern(byte[] array, int offset, int length) {
        return intern(array, offset, length, hash(array, offset, length));
    }

    /** The symbol of the byte range whose {@link ByteHashing#hash} is {@code hash} (known already), adding it if new. */
    int intern(byte[] array, int offset, int length, int hash) {
        int mask = slots.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            int slot = slots[i];
            if (slot == 0) {
                return add(array, offset, length, hash);
            }
            int s = slot - 1;
            if (hashes[s] == hash && lengths[s] == length && ByteRanges.equal(buffer, offsets[s], array, offset, length)) {
                return s;
            }
        }
    }

    /** The buffer: the caller's header bytes, then {@link #encodedBytes} bytes of encoded symbols. */
    byte[] buffer() {
        return buffer;
    }

    /** Bytes of the encoded symbols field: a tag, a length and the bytes per symbol. */
    int encodedBytes() {
        return end - headerBytes;
    }

    private int add(byte[] array, int offset, int length, int hash) {
        if (count == offsets.length) {
            offsets = Arrays.copyOf(offsets, count * 2);
            lengths = Arrays.copyOf(lengths, count * 2);
            hashes = Arrays.copyOf(hashes, count * 2);
        }
        if (end + 6 + length > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, end + 6 + length));
        }
        buffer[end++] = SYMBOL_FIELD_TAG;
        end = WireBytes.putVarint(buffer, end, length);
        System.arraycopy(array, offset, buffer, end, length);
        offsets[count] = end;
        lengths[count] = length;
        hashes[count] = hash;
        end += length;
        count++;
        if (count * 2 > slots.length) {
            rehash();
        } else {
            place(count - 1, hash);
        }
        return count - 1;
    }

    private void rehash() {
        slots = new int[slots.length * 2];
        for (int s = 0; s < count; s++) {
            place(s, hashes[s]);
        }
    }

    private void place(int symbol, int hash) {
        int mask = slots.length - 1;
        int i = hash & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = symbol + 1;
    }

    private static int hash(byte[] array, int offset, int length) {
        return ByteHashing.hash(array, offset, length);
    }
}
