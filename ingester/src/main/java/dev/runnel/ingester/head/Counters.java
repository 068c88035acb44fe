package dev.runnel.ingester.head;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Counters with a single writer (the appender thread) read by others (metrics). Opaque accesses
 * make every read see a whole, recent value at the cost of a plain store: no lock, no CAS per sample.
 */
final class Counters {

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] values;

    Counters(int count) {
        values = new long[count];
    }

    void add(int index, long delta) {
        SLOT.setOpaque(values, index, (long) SLOT.getOpaque(values, index) + delta);
    }

    long get(int index) {
        return (long) SLOT.getOpaque(values, index);
    }
}
