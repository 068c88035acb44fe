package dev.runnel.log.produce;

import java.time.Duration;

/**
 * How the agent batches produce requests into objects.
 *
 * @param batchTimeout  longest a batch waits for its flush (the agent's share of produce latency)
 * @param batchMaxBytes a flush starts as soon as this many bytes of batches are buffered
 * @param writeTimeout  how long a flush retries a failing object write or metadata commit
 *                      before it answers its producers with a retriable error
 */
public record ProduceConfig(Duration batchTimeout, int batchMaxBytes, Duration writeTimeout) {
    public static final ProduceConfig DEFAULT = new ProduceConfig(Duration.ofMillis(250), 4 << 20, Duration.ofSeconds(20));

    public ProduceConfig {
        if (batchTimeout.isNegative() || batchTimeout.isZero()) {
            throw new IllegalArgumentException("batchTimeout must be positive: " + batchTimeout);
        }
        if (batchMaxBytes < 1) {
            throw new IllegalArgumentException("batchMaxBytes must be positive: " + batchMaxBytes);
        }
        if (writeTimeout.isNegative()) {
            throw new IllegalArgumentException("writeTimeout must not be negative: " + writeTimeout);
        }
    }
}
