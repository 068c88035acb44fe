package dev.runnel.loadgen.send;

import java.time.Duration;

/**
 * What to do with an answer, as Prometheus' remote-write queue does: 2xx is done; 5xx and 429 (rate limited) are
 * retried, as are network errors; other statuses (4xx: the request is bad and will stay bad) are dropped and
 * counted. Retries back off exponentially: {@code min} (30 ms, Prometheus' {@code min_backoff}) doubling up to
 * {@code max} (5 s, its {@code max_backoff}), and continue until the run ends. {@code Retry-After} is not read.
 */
public final class RetryPolicy {
    public enum Outcome { SUCCESS, RETRY, DROP }

    public static final RetryPolicy PROMETHEUS = new RetryPolicy(Duration.ofMillis(30), Duration.ofSeconds(5));

    private final long minNanos;
    private final long maxNanos;

    public RetryPolicy(Duration min, Duration max) {
        if (min.isNegative() || min.isZero()) {
            throw new IllegalArgumentException("minimum backoff must be positive: " + min);
        }
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("maximum backoff " + max + " is below the minimum " + min);
        }
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
    }

    public Outcome outcome(int status) {
        if (status >= 200 && status < 300) {
            return Outcome.SUCCESS;
        }
        return status >= 500 || status == 429 ? Outcome.RETRY : Outcome.DROP;
    }

    /** The wait before retry number {@code retry} (1 for the first retry). */
    public long backoffNanos(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retries count from 1: " + retry);
        }
        int doublings = Math.min(retry - 1, 62);
        long backoff = minNanos << Math.min(doublings, Long.numberOfLeadingZeros(minNanos) - 1);
        return Math.min(backoff, maxNanos);
    }
}
