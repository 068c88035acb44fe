package dev.runnel.distributor.record;

import dev.runnel.distributor.write.ByteHashing;
import dev.runnel.distributor.write.ByteRanges;
import java.util.Arrays;

/**
 * The symbols of one record: each distinct byte string once, numbered in order of first use,
 * with symbol 0 the empty string as remote write 2.0 requires. Keys are byte ranges of any
 * array (the request body, or a string's bytes), compared by content, so nothing is copied
 * to look one up, and a caller that knows a range's {@link ByteHashing#hash} passes it in.
 */
final class SymbolTable {

    private static final byte[] EMPTY = new byte[0];

    private byte[][] arrays = new byte[64][];
    private int[] offsets = new int[64];
    private int[] lengths = new int[64];
    /** Per symbol, its {@link ByteHashing#hash}: probes compare it before any bytes, and rehashing reuses it. */
    private int[] hashes = new int[64];
    private int count;
    private int bytes;
    /** Open addressing: symbol index + 1, 0 for an empty slot. */
    private int[] slots = new int[128];

    SymbolTable() {
        clear();
    }

    void clear() {
        Arrays.fill(slots, 0);
        Arrays.fill(arrays, 0, count, null);
        count = 0;
        bytes = 0;
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
        for (int s = keep; s < count; s++) {
            bytes -= 1 + com.google.protobuf.CodedOutputStream.computeUInt32SizeNoTag(lengths[s]) + lengths[s];
            arrays[s] = null;
        }
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
            if (hashes[s] == hash && lengths[s] == length && ByteRanges.equal(arrays[s], offsets[s], array, offset, length)) {
                return s;
            }
        }
    }

    byte[] array(int symbol) {
        return arrays[symbol];
    }

    int offset(int symbol) {
        return offsets[symbol];
    }

    int length(int symbol) {
        return lengths[symbol];
    }

    /** Bytes of the encoded symbols field: a tag, a length and the bytes per symbol. */
    int encodedBytes() {
        return bytes;
    }

    private int add(byte[] array, int offset, int length, int hash) {
        if (count == arrays.length) {
            arrays = Arrays.copyOf(arrays, count * 2);
            offsets = Arrays.copyOf(offsets, count * 2);
            lengths = Arrays.copyOf(lengths, count * 2);
            hashes = Arrays.copyOf(hashes, count * 2);
        }
        arrays[count] = array;
        offsets[count] = offset;
        lengths[count] = length;
        hashes[count] = hash;
        count++;
        bytes += 1 + com.google.protobuf.CodedOutputStream.computeUInt32SizeNoTag(length) + length;
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
