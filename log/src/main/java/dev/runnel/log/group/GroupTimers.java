package dev.runnel.log.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timers of one group (member heartbeats, the join phase, the sync phase), keyed by name.
 * Scheduling a key replaces its earlier timer. A timer fires on the scheduler's thread, takes
 * the group's lock and runs its action only if it is still the current timer of its key, so a
 * timer that was replaced or cancelled while it was already waiting for the lock does nothing.
 *
 * <p>Not thread-safe on its own: call it with the group's lock held.
 */
final class GroupTimers {
    private static final Logger log = LoggerFactory.getLogger(GroupTimers.class);

    private final ScheduledExecutorService scheduler;
    private final Object lock;
    private final Map<String, Timer> timers = new HashMap<>();

    GroupTimers(ScheduledExecutorService scheduler, Object lock) {
        this.scheduler = scheduler;
        this.lock = lock;
    }

    /** Runs {@code action} under the lock after {@code delayMs}, replacing the timer of {@code key}. */
    void schedule(String key, long delayMs, Consumer<Completions> action) {
        cancel(key);
        Timer timer = new Timer();
        timers.put(key, timer);
        try {
            timer.future = scheduler.schedule(() -> fire(key, timer, action), Math.max(0, delayMs), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The scheduler is shutting down with the agent; nothing will need the timer.
            timers.remove(key);
        }
    }

    void cancel(String key) {
        Timer timer = timers.remove(key);
        if (timer != null && timer.future != null) {
            timer.future.cancel(false);
        }
    }

    boolean isScheduled(String key) {
        return timers.containsKey(key);
    }

    void cancelAll() {
        for (String key : new ArrayList<>(timers.keySet())) {
            cancel(key);
        }
    }

    private void fire(String key, Timer timer, Consumer<Completions> action) {
        Completions completions = new Completions();
        synchronized (lock) {
            if (timers.get(key) != timer) {
                return;
            }
            timers.remove(key);
            try {
                action.accept(completions);
            } catch (RuntimeException e) {
                log.error("Group timer {} failed", key, e);
            }
        }
        completions.run();
    }

    private static final class Timer {
        ScheduledFuture<?> future;
    }
}
