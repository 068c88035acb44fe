package dev.runnel.ingester.head;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One string per distinct UTF-8 byte sequence, found from the bytes without decoding them
 * (open addressing, linear probing). Used by the appender thread only. Keeps the bytes beside the
 * string so a lookup compares bytes; {@link #retainOnly} drops strings no live series uses.
 */
final class Interner {

    private byte[][] keys = new byte[1024][];
    private String[] strings = new String[1024];
    private int[] hashes = new int[1024];
    private int size;

    String intern(byte[] bytes, int offset, int length) {
        int hash = hash(bytes, offset, length);
        int mask = keys.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            byte[] key = keys[i];
            if (key == null) {
                String s = new String(bytes, offset, length, StandardCharsets.UTF_8);
                insert(i, Arrays.copyOfRange(bytes, offset, offset + length), s, hash);
                return s;
            }
            if (hashes[i] == hash && Arrays.equals(key, 0, key.length, bytes, offset, offset + length)) {
                return strings[i];
            }
        }
    }

    String intern(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return intern(bytes, 0, bytes.length);
    }

    int size() {
        return size;
    }

    /** Rebuilds the table with only the given strings (already interned here), keeping their identity. */
    void retainOnly(Iterable<String> live) {
        Interner fresh = new Interner();
        for (String s : live) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            int hash = hash(bytes, 0, bytes.length);
            int mask = fresh.keys.length - 1;
            int i = hash & mask;
            while (fresh.keys[i] != null && !Arrays.equals(fresh.keys[i], bytes)) {
                i = (i + 1) & mask;
            }
            if (fresh.keys[i] == null) {
                fresh.insert(i, bytes, s, hash);
            }
        }
        keys = fresh.keys;
        strings = fresh.strings;
        hashes = fresh.hashes;
        size = fresh.size;
    }

    private void insert(int slot, byte[] key, String s, int hash) {
        keys[slot] = key;
        strings[slot] = s;
        hashes[slot] = hash;
        if (++size * 2 > keys.length) {
            grow();
        }
    }

    private void grow() {
        byte[][] oldKeys = keys;
        String[] oldStrings = strings;
        int[] oldHashes = hashes;
        keys = new byte[oldKeys.length * 2][];
        strings = new String[oldKeys.length * 2];
        hashes = new int[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != null) {
                int i = oldHashes[j] & mask;
                while (keys[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                strings[i] = oldStrings[j];
                hashes[i] = oldHashes[j];
            }
        }
    }

    private static int hash(byte[] bytes, int offset, int length) {
        int h = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            h = 31 * h + bytes[i];
        }
        // MurmurHash3's finalizer: the table index takes the low bits, which the polynomial leaves poorly mixed.
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }
}
