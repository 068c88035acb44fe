package dev.runnel.loadgen.send;

/**
 * When a shard's next request is meant to start.
 *
 * <p>At a fixed rate, request {@code k} of shard {@code s} is meant to start at
 * {@code start + (s + k*shards) / requestsPerSecond}: the shards interleave evenly, and the times never move.
 * A shard that falls behind (a slow answer, retries) finds its next intended start in the past and sends at once,
 * back to back, until it has caught up; its latency is measured from the intended start, so the wait behind a
 * slow request counts — no coordinated omission (the schedule does not politely wait for the server).
 *
 * <p>Closed loop (rate 0): every request is meant to start when the previous one ends.
 */
public final class Schedule {
    private final long startNanos;
    private final double periodNanos;
    private final int shard;
    private final int shards;
    private long k;

    private Schedule(long startNanos, double periodNanos, int shard, int shards) {
        this.startNanos = startNanos;
        this.periodNanos = periodNanos;
        this.shard = shard;
        this.shards = shards;
    }

    /** {@code requestsPerSecond} over all shards; this is shard {@code shard} of {@code shards}. */
    public static Schedule fixedRate(long startNanos, double requestsPerSecond, int shard, int shards) {
        if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
            throw new IllegalArgumentException("requests per second must be positive and finite: " + requestsPerSecond);
        }
        if (shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("shard " + shard + " is not in [0, " + shards + ")");
        }
        return new Schedule(startNanos, 1e9 / requestsPerSecond, shard, shards);
    }

    public static Schedule closedLoop() {
        return new Schedule(0, 0, 0, 1);
    }

    public boolean isClosedLoop() {
        return periodNanos == 0;
    }

    /** The intended start of the next request; in closed loop that is {@code nowNanos}. */
    public long next(long nowNanos) {
        if (isClosedLoop()) {
            return nowNanos;
        }
        return startNanos + (long) ((shard + k++ * shards) * periodNanos);
    }
}
