package dev.runnel.distributor.otlp;

import io.opentelemetry.proto.metrics.v1.DataPointFlags;

/** Conversions every data point type shares: time, the no-recorded-value flag, the created timestamp. */
final class Points {

    /** Prometheus' stale marker: a NaN with these exact bits. */
    static final long STALE_NAN_BITS = 0x7ff0000000000002L;
    static final double STALE_NAN = Double.longBitsToDouble(STALE_NAN_BITS);

    private Points() {
    }

    /** OTLP's unsigned nanoseconds since the epoch, in milliseconds. */
    static long millis(long unixNanos) {
        return Long.divideUnsigned(unixNanos, 1_000_000);
    }

    /** True when the point says its series ended: it becomes a stale marker. */
    static boolean noRecordedValue(int flags) {
        return (flags & DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE) != 0;
    }

    /** The start time as a created timestamp in milliseconds, 0 when unset or after the point itself. */
    static long createdMillis(long startUnixNanos, long timeMillis) {
        long start = millis(startUnixNanos);
        return start > 0 && start <= timeMillis ? start : 0;
    }

    /** An unsigned 64-bit count as a double. */
    static double unsigned(long count) {
        return count >= 0 ? count : (double) (count >>> 1) * 2.0 + (count & 1);
    }
}
