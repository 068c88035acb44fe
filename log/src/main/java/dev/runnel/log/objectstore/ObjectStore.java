package dev.runnel.log.objectstore;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where the log keeps its bytes: immutable objects addressed by key.
 *
 * <p>The log never rewrites an object: an agent writes one object per flush, compaction writes
 * new objects and deletes old ones. So the interface is the intersection of what a filesystem
 * and S3 both do well: whole-object PUT, ranged GET, DELETE and prefix LIST. Every call is
 * asynchronous; a failed call completes its future exceptionally (with
 * {@link ObjectNotFoundException} for a missing key) and never throws.
 */
public interface ObjectStore extends AutoCloseable {

    /** Stores {@code content} (from its position to its limit) under {@code key}, durably. */
    CompletableFuture<Void> put(String key, ByteBuffer content);

    /** Reads {@code length} bytes of {@code key} starting at {@code position}. */
    CompletableFuture<ByteBuffer> get(String key, long position, int length);

    /** Reads the whole object. */
    CompletableFuture<ByteBuffer> get(String key);

    /** Deletes {@code key}; deleting a missing key succeeds. */
    CompletableFuture<Void> delete(String key);

    /** Lists the keys that start with {@code prefix}, in lexicographic order. */
    CompletableFuture<List<String>> list(String prefix);

    @Override
    void close();
}
