package dev.runnel.ingester.consume;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

/** Futures waiting for the consumer to apply a record, completed in offset order as it advances. */
final class OffsetWaiters {
    private final PriorityQueue<Waiter> waiting = new PriorityQueue<>((a, b) -> Long.compare(a.offset, b.offset));
    private long next = -1;
    private RuntimeException closed;

    /** Completes once the record at {@code offset} has been applied. */
    CompletableFuture<Void> await(long offset) {
        synchronized (waiting) {
            if (offset < next) {
                return CompletableFuture.completedFuture(null);
            }
            if (closed != null) {
                return CompletableFuture.failedFuture(closed);
            }
            Waiter w = new Waiter(offset, new CompletableFuture<>());
            waiting.add(w);
            return w.future;
        }
    }

    /** Every record before {@code nextOffset} is applied. */
    void advance(long nextOffset) {
        List<Waiter> done = new ArrayList<>();
        synchronized (waiting) {
            next = nextOffset;
            while (!waiting.isEmpty() && waiting.peek().offset < nextOffset) {
                done.add(waiting.poll());
            }
        }
        done.forEach(w -> w.future.complete(null)); // outside the lock: callbacks run here
    }

    /** Fails every waiter, and every later one, with {@code why}. */
    void close(RuntimeException why) {
        List<Waiter> left;
        synchronized (waiting) {
            closed = why;
            left = new ArrayList<>(waiting);
            waiting.clear();
        }
        left.forEach(w -> w.future.completeExceptionally(why));
    }

    private record Waiter(long offset, CompletableFuture<Void> future) {
    }
}
