package dev.runnel.ingester.consume;

import java.time.Duration;
import org.apache.kafka.common.utils.Time;

/**
 * How far a partition consumer got: written by its thread, read by any (metrics, readiness).
 * Lag in time is {@code now - timestamp of the last applied record}, as Mimir measures it; it is
 * unknown (reported as 0) until a record has been applied.
 */
final class Progress {
    private static final long UNKNOWN = -1;

    private final Time time;
    private volatile long applied = UNKNOWN;
    private volatile long end = UNKNOWN;
    private volatile long endAtStart = UNKNOWN;
    private volatile long lastTimestamp = UNKNOWN;

    Progress(Time time) {
        this.time = time;
    }

    /**
     * The consumer starts; the partition ended at {@code endOffset} then. Nothing counts as applied
     * until the first poll: the log may no longer hold the offset it starts at.
     */
    void started(long endOffset) {
        end = Math.max(end, endOffset);
        endAtStart = endOffset;
    }

    /** Every record before {@code nextOffset} is applied; the last one had {@code timestamp} (or there was none: negative). */
    void applied(long nextOffset, long timestamp) {
        applied = nextOffset;
        if (timestamp >= 0) {
            lastTimestamp = timestamp;
        }
        if (nextOffset > end) {
            end = nextOffset;
        }
    }

    /** The partition's end offset (high watermark) as last seen. */
    void end(long endOffset) {
        end = endOffset;
    }

    /** The offset of the next record to apply; negative before the consumer started. */
    long nextOffset() {
        return applied;
    }

    long lagRecords() {
        long a = applied;
        return a < 0 ? 0 : Math.max(0, end - a);
    }

    double lagSeconds() {
        long ts = lastTimestamp;
        if (lagRecords() == 0 || ts < 0) {
            return 0;
        }
        return Math.max(0, time.milliseconds() - ts) / 1000.0;
    }

    /**
     * Whether the consumer reached the end the partition had when it started, or applied a record
     * produced no more than {@code maxLag} ago.
     */
    boolean caughtUp(Duration maxLag) {
        long startEnd = endAtStart;
        if (startEnd < 0) {
            return false;
        }
        if (applied >= startEnd) {
            return true;
        }
        long ts = lastTimestamp;
        return ts >= 0 && time.milliseconds() - ts <= maxLag.toMillis();
    }
}
