package dev.runnel.log.objectstore;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Adds a {@link LatencyProfile}'s latency to every call of a store, so a local filesystem store answers like S3 in
 * load tests. The delay starts when the delegate's future completes and holds back its result, success or failure;
 * no thread waits: one timer thread completes the delayed futures (and so runs their callbacks, which in the log
 * hand work to their own executors). Draws come from one seeded generator, so a run's sequence of delays repeats.
 */
public final class DelayedObjectStore implements ObjectStore {
    private final ObjectStore delegate;
    private final LatencyProfile profile;
    private final SplittableRandom random;
    private final ScheduledExecutorService timer;

    public DelayedObjectStore(ObjectStore delegate, LatencyProfile profile, long seed) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.profile = Objects.requireNonNull(profile, "profile");
        this.random = new SplittableRandom(seed);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "object-store-latency");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public CompletableFuture<Void> put(String key, ByteBuffer content) {
        return delay(false, delegate.put(key, content));
    }

    @Override
    public CompletableFuture<ByteBuffer> get(String key, long position, int length) {
        return delay(true, delegate.get(key, position, length));
    }

    @Override
    public CompletableFuture<ByteBuffer> get(String key) {
        return delay(true, delegate.get(key));
    }

    @Override
    public CompletableFuture<Void> delete(String key) {
        return delay(false, delegate.delete(key));
    }

    @Override
    public CompletableFuture<List<String>> list(String prefix) {
        return delay(false, delegate.list(prefix));
    }

    @Override
    public void close() {
        timer.shutdownNow();
        delegate.close();
    }

    @Override
    public String toString() {
        return "DelayedObjectStore[" + profile.flagValue() + ": " + delegate + "]";
    }

    private <T> CompletableFuture<T> delay(boolean read, CompletableFuture<T> call) {
        long micros;
        synchronized (random) {
            micros = profile.sampleMicros(read, random);
        }
        if (micros == 0) {
            return call;
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        call.whenComplete((value, error) -> {
            Runnable complete = () -> {
                if (error == null) {
                    result.complete(value);
                } else {
                    result.completeExceptionally(error);
                }
            };
            try {
                timer.schedule(complete, micros, TimeUnit.MICROSECONDS);
            } catch (RuntimeException closed) { // the store was closed: answer without the delay
                complete.run();
            }
        });
        return result;
    }
}
