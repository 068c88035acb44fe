package dev.runnel.log.group;

import java.util.function.Supplier;
import org.apache.kafka.common.utils.Time;

/** A clock that moves only when told to ({@link ManualScheduler#advance} moves it). */
final class ManualTime implements Time {
    private volatile long nowMs = 1_700_000_000_000L;

    @Override
    public long milliseconds() {
        return nowMs;
    }

    @Override
    public long nanoseconds() {
        return nowMs * 1_000_000L;
    }

    @Override
    public void sleep(long ms) {
        nowMs += ms;
    }

    @Override
    public void waitObject(Object obj, Supplier<Boolean> condition, long timeoutMs) {
        throw new UnsupportedOperationException("the group coordinator must not wait");
    }

    void set(long ms) {
        nowMs = ms;
    }
}
