package dev.runnel.loadgen.send;

/**
 * The latency of the requests acknowledged in one reporting interval (about a second), for a latency-over-time
 * chart.
 *
 * @param endSeconds seconds from the start of the measurement to the end of the interval
 * @param count      requests acknowledged in the interval
 * @param p50Millis  NaN when none were
 */
public record IntervalLatency(double endSeconds, long count, double p50Millis, double p99Millis, double maxMillis) {
}
