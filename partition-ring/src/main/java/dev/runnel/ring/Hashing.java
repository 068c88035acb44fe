package dev.runnel.ring;

import java.nio.charset.StandardCharsets;

/**
 * The hash functions the ring's placement depends on. They must never change: every process
 * has to agree on them, across versions, or tenants' shards would move on an upgrade.
 */
final class Hashing {
    private Hashing() {
    }

    /** MurmurHash3's 64-bit finalizer: every input bit flips about half the output bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    /** FNV-1a over the UTF-8 bytes, then mixed: a stable 64-bit hash of a string. */
    static long of(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return mix(h);
    }
}
