package dev.runnel.ingester.consume;

import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts records the consumer skips and logs them at WARN, rate-limited so a flood of bad records
 * cannot flood the log: the first of each reason, then every {@value #LOG_EVERY}th. Consumer thread only.
 */
final class SkippedRecords {
    static final int LOG_EVERY = 1000;
    private static final Logger log = LoggerFactory.getLogger(SkippedRecords.class);

    private final ConsumerMetrics.Partition metrics;
    private final Map<String, long[]> counts = new HashMap<>();

    SkippedRecords(ConsumerMetrics.Partition metrics) {
        this.metrics = metrics;
    }

    /** Counts a skipped record; returns whether it was logged. */
    boolean skip(String reason, String where, String why, Throwable cause) {
        metrics.skipped(reason);
        long n = ++counts.computeIfAbsent(reason, r -> new long[1])[0];
        if (n % LOG_EVERY != 1) {
            return false;
        }
        if (cause == null) {
            log.warn("skipped the record at {} ({}): {}; {} skipped for this reason so far", where, reason, why, n);
        } else {
            log.warn("skipped the record at {} ({}): {}; {} skipped for this reason so far", where, reason, why, n, cause);
        }
        return true;
    }
}
