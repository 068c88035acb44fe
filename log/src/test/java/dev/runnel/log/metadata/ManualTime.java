package dev.runnel.log.metadata;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.utils.Time;

/** A clock that moves only when told to (Kafka's MockTime lives in the test jar, which we do not use). */
public final class ManualTime implements Time {
    private volatile long nanos = TimeUnit.MILLISECONDS.toNanos(1_700_000_000_000L);

    @Override
    public long milliseconds() {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    @Override
    public long nanoseconds() {
        return nanos;
    }

    @Override
    public void sleep(long ms) {
        advance(ms);
    }

    @Override
    public void waitObject(Object obj, Supplier<Boolean> condition, long deadlineMs) {
        while (!condition.get()) {
            if (milliseconds() >= deadlineMs) {
                throw new org.apache.kafka.common.errors.TimeoutException("Condition not met before " + deadlineMs);
            }
            advance(1);
        }
    }

    public synchronized void advance(long ms) {
        nanos += TimeUnit.MILLISECONDS.toNanos(ms);
    }
}
