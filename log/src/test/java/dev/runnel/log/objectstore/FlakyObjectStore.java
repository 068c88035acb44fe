package dev.runnel.log.objectstore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory object store whose PUTs can be made to fail or to take a while, for unit tests. */
public final class FlakyObjectStore implements ObjectStore {
    public final Map<String, ByteBuffer> objects = new ConcurrentHashMap<>();
    public final AtomicInteger putAttempts = new AtomicInteger();
    public final AtomicInteger rangeGets = new AtomicInteger();
    /** Ranged GETs complete only once this completes. */
    public volatile CompletableFuture<Void> getGate = CompletableFuture.completedFuture(null);
    /** PUTs that fail before PUTs succeed again; negative: fail forever. */
    public volatile int failingPuts;
    /** Delay of the next PUT only, in milliseconds. */
    public volatile long nextPutDelayMillis;

    @Override
    public CompletableFuture<Void> put(String key, ByteBuffer content) {
        putAttempts.incrementAndGet();
        if (failingPuts != 0) {
            if (failingPuts > 0) {
                failingPuts--;
            }
            return CompletableFuture.failedFuture(new IOException("injected PUT failure"));
        }
        ByteBuffer copy = ByteBuffer.allocate(content.remaining()).put(content.duplicate()).flip();
        long delay = nextPutDelayMillis;
        nextPutDelayMillis = 0;
        Executor later = CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS);
        return CompletableFuture.runAsync(() -> objects.put(key, copy), later);
    }

    @Override
    public CompletableFuture<ByteBuffer> get(String key, long position, int length) {
        rangeGets.incrementAndGet();
        return getGate.thenCompose(open -> {
            ByteBuffer object = objects.get(key);
            if (object == null) {
                return CompletableFuture.failedFuture(new ObjectNotFoundException(key));
            }
            // A read past the end is short, as with the real stores.
            int start = (int) Math.min(position, object.limit());
            int end = (int) Math.min(position + length, object.limit());
            return CompletableFuture.completedFuture(object.duplicate().position(start).limit(end).slice());
        });
    }

    @Override
    public CompletableFuture<ByteBuffer> get(String key) {
        ByteBuffer object = objects.get(key);
        return object == null ? CompletableFuture.failedFuture(new ObjectNotFoundException(key))
                : CompletableFuture.completedFuture(object.duplicate());
    }

    @Override
    public CompletableFuture<Void> delete(String key) {
        objects.remove(key);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<List<String>> list(String prefix) {
        return CompletableFuture.completedFuture(objects.keySet().stream().filter(k -> k.startsWith(prefix)).sorted().toList());
    }

    @Override
    public void close() {
    }
}
