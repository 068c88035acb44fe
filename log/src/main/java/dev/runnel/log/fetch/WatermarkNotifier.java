package dev.runnel.log.fetch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;

/**
 * Wakes long-polling fetches when this agent commits new data to a partition they wait on.
 * Commits made by other agents are not announced here; waiting fetches therefore also wake up
 * at a short poll interval and look at the metadata store themselves.
 */
public final class WatermarkNotifier {
    private final Map<TopicPartition, Set<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();

    /** Called after a commit advanced these partitions. */
    public void committed(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            Set<CompletableFuture<Void>> waiting = waiters.remove(partition);
            if (waiting != null) {
                waiting.forEach(w -> w.complete(null));
            }
        }
    }

    /** Completes when one of {@code partitions} advances here, or after {@code timeoutMillis}. */
    public CompletableFuture<Void> await(Collection<TopicPartition> partitions, long timeoutMillis,
                                         ScheduledExecutorService scheduler) {
        CompletableFuture<Void> wakeUp = new CompletableFuture<>();
        List<TopicPartition> registered = new ArrayList<>(partitions);
        for (TopicPartition partition : registered) {
            waiters.computeIfAbsent(partition, p -> ConcurrentHashMap.newKeySet()).add(wakeUp);
        }
        var timer = scheduler.schedule(() -> wakeUp.complete(null), timeoutMillis, TimeUnit.MILLISECONDS);
        wakeUp.whenComplete((ok, error) -> {
            timer.cancel(false);
            for (TopicPartition partition : registered) {
                waiters.computeIfPresent(partition, (p, set) -> {
                    set.remove(wakeUp);
                    return set.isEmpty() ? null : set;
                });
            }
        });
        return wakeUp;
    }
}
