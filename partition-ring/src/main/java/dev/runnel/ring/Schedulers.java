package dev.runnel.ring;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The one background thread each watcher and lifecycler runs its periodic task on. */
final class Schedulers {
    private Schedulers() {
    }

    static ScheduledExecutorService every(Duration period, String threadName, Runnable task) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, threadName);
            thread.setDaemon(true);
            return thread;
        });
        long millis = period.toMillis();
        scheduler.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
        return scheduler;
    }

    static void stop(ScheduledExecutorService scheduler) {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
