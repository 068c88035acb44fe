package dev.runnel.log.group;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Future completions collected while a group's lock is held and run once it is released, so
 * that whatever the agent chained on a JoinGroup or SyncGroup future (writing the response to a
 * channel, say) never runs under a group lock.
 */
final class Completions {
    private final List<Runnable> pending = new ArrayList<>();

    /** Completes {@code future} (if not null) with {@code value} when {@link #run} is called. */
    <T> void complete(CompletableFuture<T> future, T value) {
        if (future != null) {
            pending.add(() -> future.complete(value));
        }
    }

    /** Completes everything collected so far; call without holding any group lock. */
    void run() {
        for (Runnable completion : pending) {
            completion.run();
        }
        pending.clear();
    }
}
