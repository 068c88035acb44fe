package dev.runnel.log.retention;

import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link RetentionJob} runs. See {@code log/RETENTION.md}.
 *
 * @param interval           time between the end of one run and the start of the next
 * @param gracePeriod        how long an object stays in object storage after it lost its last index
 *                           reference: longer than any fetch that may have looked the reference up
 *                           just before, and longer than the produce path's write timeout
 * @param orphanAge          how old an object that was never committed must be before it is deleted:
 *                           much longer than the produce path's write timeout plus the clock skew
 *                           between agents
 * @param orphanScanInterval how often a run also scans object storage for never-committed objects
 *                           (each scan lists keys, which costs requests on S3); zero scans every run
 * @param orphanLookback     how far back the scan looks, in days of key prefixes: the days whose
 *                           objects may still be orphans (an orphan of an older day is never found);
 *                           zero disables the scan
 */
public record RetentionConfig(Duration interval, Duration gracePeriod, Duration orphanAge,
                              Duration orphanScanInterval, Duration orphanLookback) {

    public static final RetentionConfig DEFAULT = new RetentionConfig(Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofHours(1), Duration.ofHours(1), Duration.ofDays(3));

    public RetentionConfig {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        Objects.requireNonNull(orphanAge, "orphanAge");
        Objects.requireNonNull(orphanScanInterval, "orphanScanInterval");
        Objects.requireNonNull(orphanLookback, "orphanLookback");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        if (gracePeriod.isNegative()) {
            throw new IllegalArgumentException("gracePeriod must not be negative: " + gracePeriod);
        }
        if (orphanAge.isNegative() || orphanAge.isZero()) {
            throw new IllegalArgumentException("orphanAge must be positive: " + orphanAge);
        }
        if (orphanScanInterval.isNegative()) {
            throw new IllegalArgumentException("orphanScanInterval must not be negative: " + orphanScanInterval);
        }
        if (orphanLookback.isNegative()) {
            throw new IllegalArgumentException("orphanLookback must not be negative: " + orphanLookback);
        }
    }

    public RetentionConfig withInterval(Duration interval) {
        return new RetentionConfig(interval, gracePeriod, orphanAge, orphanScanInterval, orphanLookback);
    }

    public RetentionConfig withGracePeriod(Duration gracePeriod) {
        return new RetentionConfig(interval, gracePeriod, orphanAge, orphanScanInterval, orphanLookback);
    }

    public RetentionConfig withOrphanAge(Duration orphanAge) {
        return new RetentionConfig(interval, gracePeriod, orphanAge, orphanScanInterval, orphanLookback);
    }

    public RetentionConfig withOrphanScanInterval(Duration orphanScanInterval) {
        return new RetentionConfig(interval, gracePeriod, orphanAge, orphanScanInterval, orphanLookback);
    }

    public RetentionConfig withOrphanLookback(Duration orphanLookback) {
        return new RetentionConfig(interval, gracePeriod, orphanAge, orphanScanInterval, orphanLookback);
    }
}
