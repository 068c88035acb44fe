package dev.runnel.ingester.head;

import java.time.Duration;

/**
 * Limits of a tenant's head.
 *
 * @param retention        chunks whose samples are all older than the head's newest sample minus
 *                         this are collected (Prometheus' head keeps about 2 h too)
 * @param outOfOrderWindow how far behind the head's newest sample an out-of-order sample may be;
 *                         zero rejects them, as Prometheus does by default
 * @param maxSeries        series a tenant may have in the head; samples of further series are discarded
 */
public record HeadConfig(Duration retention, Duration outOfOrderWindow, int maxSeries) {

    public static final HeadConfig DEFAULT = new HeadConfig(Duration.ofHours(2), Duration.ZERO, 1_500_000);

    public HeadConfig {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive: " + retention);
        }
        if (outOfOrderWindow.isNegative()) {
            throw new IllegalArgumentException("outOfOrderWindow must not be negative: " + outOfOrderWindow);
        }
        if (outOfOrderWindow.compareTo(retention) > 0) {
            throw new IllegalArgumentException("outOfOrderWindow (" + outOfOrderWindow + ") must not exceed retention (" + retention + ")");
        }
        if (maxSeries <= 0) {
            throw new IllegalArgumentException("maxSeries must be positive: " + maxSeries);
        }
    }
}
