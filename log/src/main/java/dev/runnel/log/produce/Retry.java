package dev.runnel.log.produce;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Retries with exponential backoff (50 ms doubling to 2 s) until a deadline. */
final class Retry {
    private static final Logger log = LoggerFactory.getLogger(Retry.class);
    private static final long FIRST_BACKOFF_MS = 50;
    private static final long MAX_BACKOFF_MS = 2_000;

    private Retry() {
    }

    static <T> CompletableFuture<T> withBackoff(Supplier<CompletableFuture<T>> attempt, ScheduledExecutorService scheduler,
                                                Time time, long deadlineNanos, String what) {
        CompletableFuture<T> result = new CompletableFuture<>();
        tryAsync(attempt, scheduler, time, deadlineNanos, what, FIRST_BACKOFF_MS, result);
        return result;
    }

    private static <T> void tryAsync(Supplier<CompletableFuture<T>> attempt, ScheduledExecutorService scheduler, Time time,
                                     long deadlineNanos, String what, long backoffMs, CompletableFuture<T> result) {
        attempt.get().whenComplete((value, error) -> {
            if (error == null) {
                result.complete(value);
            } else if (time.nanoseconds() + TimeUnit.MILLISECONDS.toNanos(backoffMs) >= deadlineNanos) {
                result.completeExceptionally(error);
            } else {
                log.warn("{} failed, retrying in {} ms: {}", what, backoffMs, error.toString());
                scheduler.schedule(() -> tryAsync(attempt, scheduler, time, deadlineNanos, what,
                        Math.min(backoffMs * 2, MAX_BACKOFF_MS), result), backoffMs, TimeUnit.MILLISECONDS);
            }
        });
    }

    static <T> T blocking(Supplier<T> attempt, Time time, long deadlineNanos, String what) {
        long backoffMs = FIRST_BACKOFF_MS;
        while (true) {
            try {
                return attempt.get();
            } catch (RuntimeException e) {
                if (time.nanoseconds() + TimeUnit.MILLISECONDS.toNanos(backoffMs) >= deadlineNanos) {
                    throw e;
                }
                log.warn("{} failed, retrying in {} ms: {}", what, backoffMs, e.toString());
                time.sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
            }
        }
    }
}
