package dev.runnel.distributor.ratelimit;

/**
 * A token bucket: refills at {@code rate} tokens a second up to {@code burst}, starts full, and
 * takes {@code n} tokens at once or none, as Go's {@code rate.Limiter.AllowN} (which Mimir uses)
 * does; a request larger than the burst can never pass. Rate and burst are given on every call,
 * so a changed limit applies at once. Time is the caller's; it never runs backwards here.
 */
final class TokenBucket {

    private double tokens = Double.NaN;
    private long lastMillis;

    synchronized boolean tryTake(int n, double rate, int burst, long nowMillis) {
        if (Double.isNaN(tokens)) {
            tokens = burst;
            lastMillis = nowMillis;
        }
        if (nowMillis > lastMillis) {
            tokens = Math.min(burst, tokens + (nowMillis - lastMillis) * rate / 1000);
            lastMillis = nowMillis;
        }
        tokens = Math.min(tokens, burst);
        if (n > tokens) {
            return false;
        }
        tokens -= n;
        return true;
    }
}
