package dev.runnel.benchmarks;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Record values: random (incompressible, never all-zero) bytes cut from a fixed pool, stamped with the producer's
 * index and the record's sequence number in the first 12 bytes so the read-back can check every acknowledged
 * record came back exactly once.
 */
final class Payloads {
    static final int HEADER_BYTES = 12;
    private static final byte[] POOL = new byte[4 << 20];

    static {
        new SplittableRandom(0x52554e4e454cL).nextBytes(POOL);
    }

    private Payloads() {
    }

    static byte[] make(int size, int producer, long seq) {
        byte[] b = new byte[size];
        int off = (int) Math.floorMod(seq * 7919L + producer * 104729L, (long) (POOL.length - size));
        System.arraycopy(POOL, off, b, 0, size);
        ByteBuffer.wrap(b).putInt(producer).putLong(seq);
        return b;
    }

    static int producer(byte[] value) {
        return value.length < HEADER_BYTES ? -1 : ByteBuffer.wrap(value).getInt(0);
    }

    static long seq(byte[] value) {
        return value.length < HEADER_BYTES ? -1 : ByteBuffer.wrap(value).getLong(4);
    }
}
