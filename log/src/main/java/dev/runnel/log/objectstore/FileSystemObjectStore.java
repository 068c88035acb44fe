package dev.runnel.log.objectstore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The embedded default {@link ObjectStore}: one file per object under a root directory.
 *
 * <p><b>Why it is built this way.</b> The log acknowledges a produce request only once the
 * object holding it is stored, so {@code put} must be <em>durable</em> (the bytes survive a
 * power loss once the future completes) and <em>atomic</em> (a reader, or a restart after a
 * crash, sees either no object or the whole object, never a prefix of it). A put therefore
 * writes a temporary file in the target directory, forces it to disk, renames it over the
 * key with {@code ATOMIC_MOVE} (an atomic replace on POSIX filesystems, so an overwrite is
 * also all-or-nothing) and then forces the directory, which makes the rename itself durable.
 * Directories created for a key are forced into their parents the same way. A temp file left
 * behind by a crash is never visible: {@link #list} skips temp names and keys may not use
 * them.
 *
 * <p>Keys may contain {@code /}, which maps to subdirectories; empty, absolute, {@code .} and
 * {@code ..} segments are rejected so a key can never escape the root. A filesystem cannot
 * hold both {@code a} and {@code a/b} (S3 can); putting the second fails. Deleting a key also
 * removes the directories it leaves empty.
 *
 * <p>Ranged reads use positional reads, so concurrent readers of one object do not contend.
 * Reading past the end is a <em>short read</em>: the result holds only the bytes that exist
 * (possibly none), which matches what S3 returns for a range running past the end.
 *
 * <p>With {@code fsync} off, nothing is forced: a put is still atomic and survives a crash of
 * the process (the bytes are in the operating system's page cache), but not of the machine,
 * which is what a Kafka broker with its default flush policy promises.
 *
 * <p>All blocking I/O runs on a small fixed pool of daemon threads ({@code objectstore-fs-N})
 * owned by this store and shut down by {@link #close}. The buffer passed to {@code put} is
 * read on that pool; the caller must not modify it until the future completes (its position
 * is not changed).
 */
public final class FileSystemObjectStore implements ObjectStore {

    /** Prefix of the temporary files a put writes before its atomic rename. */
    static final String TEMP_PREFIX = ".runnel-tmp-";

    private static final int DEFAULT_THREADS = 4;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    /**
     * Largest slice of a heap buffer handed to one read or write. The JDK copies a heap buffer
     * through a per-thread temporary direct buffer of the same size, and a request larger than
     * the one it caches makes it allocate (and zero) a new one: with objects of varying sizes,
     * a profile of the agent showed that zeroing among its largest costs.
     */
    private static final int IO_CHUNK_BYTES = 1 << 20;
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private final Path root;
    private final ExecutorService executor;
    private final boolean fsync;

    public FileSystemObjectStore(Path root) {
        this(root, DEFAULT_THREADS, true);
    }

    public FileSystemObjectStore(Path root, boolean fsync) {
        this(root, DEFAULT_THREADS, fsync);
    }

    public FileSystemObjectStore(Path root, int threads, boolean fsync) {
        this.fsync = fsync;
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        try {
            Files.createDirectories(Objects.requireNonNull(root, "root"));
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new IllegalStateException("cannot open object store root " + root, e);
        }
        this.executor = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "objectstore-fs-" + THREAD_IDS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public Path root() {
        return root;
    }

    @Override
    public CompletableFuture<Void> put(String key, ByteBuffer content) {
        ByteBuffer source = content == null ? null : content.duplicate();
        return submit(() -> {
            Path path = resolve(key);
            writeAtomically(path, Objects.requireNonNull(source, "content"));
            return null;
        });
    }

    @Override
    public CompletableFuture<ByteBuffer> get(String key, long position, int length) {
        return submit(() -> {
            if (position < 0 || length < 0) {
                throw new IllegalArgumentException(
                        "position and length must not be negative: " + position + ", " + length);
            }
            return read(key, position, length);
        });
    }

    @Override
    public CompletableFuture<ByteBuffer> get(String key) {
        return submit(() -> read(key, 0, -1));
    }

    @Override
    public CompletableFuture<Void> delete(String key) {
        return submit(() -> {
            Path path = resolve(key);
            boolean deleted;
            try {
                deleted = Files.deleteIfExists(path);
            } catch (FileSystemException e) {
                if (Files.exists(path)) {
                    throw e;
                }
                deleted = false; // e.g. a parent of the key is a file: the key cannot exist
            }
            if (deleted) {
                fsyncDirectory(path.getParent());
                pruneEmptyParents(path.getParent());
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<List<String>> list(String prefix) {
        return submit(() -> {
            Objects.requireNonNull(prefix, "prefix");
            List<String> keys = new ArrayList<>();
            // Walk only the deepest directory the prefix is certain to be under.
            int slash = prefix.lastIndexOf('/');
            Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
            if (!start.normalize().startsWith(root) || !Files.isDirectory(start)) {
                return keys;
            }
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && !isTemp(file.getFileName().toString())) {
                        String key = toKey(file);
                        if (key.startsWith(prefix)) {
                            keys.add(key);
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE; // deleted while we walked
                    }
                    throw e;
                }
            });
            Collections.sort(keys);
            return keys;
        });
    }

    /** Stops the I/O pool: calls already submitted finish, later calls fail. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "FileSystemObjectStore[" + root + "]";
    }

    // ---------------------------------------------------------------------------------------

    private void writeAtomically(Path target, ByteBuffer source) throws IOException {
        Path dir = target.getParent();
        // A concurrent delete may prune the (empty) directory between creating it and creating
        // the temp file; once the temp file exists the directory is not empty and stays.
        for (int attempt = 1; ; attempt++) {
            Path temp = dir.resolve(TEMP_PREFIX + UUID.randomUUID());
            FileChannel channel;
            try {
                createDirectoriesDurably(dir);
                channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (NoSuchFileException e) {
                if (attempt < 10) {
                    continue;
                }
                throw e;
            }
            try {
                try (channel) {
                    while (source.hasRemaining()) {
                        int n = channel.write(source.slice().limit(Math.min(source.remaining(), IO_CHUNK_BYTES)));
                        source.position(source.position() + n);
                    }
                    if (fsync) {
                        channel.force(true);
                    }
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException | RuntimeException e) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
            fsyncDirectory(dir);
            return;
        }
    }

    private ByteBuffer read(String key, long position, int length) throws IOException {
        Path path = resolve(key);
        if (Files.isDirectory(path)) {
            throw new ObjectNotFoundException(key); // only a prefix of other keys
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        } catch (FileSystemException e) {
            if (Files.exists(path)) {
                throw e;
            }
            throw new ObjectNotFoundException(key); // e.g. a parent of the key is a file
        }
        try (channel) {
            long size = channel.size();
            long available = Math.max(0, size - position);
            long wanted = length < 0 ? available : Math.min(length, available);
            if (wanted > MAX_ARRAY) {
                throw new IOException("object too large to read at once: " + key + " (" + size + " bytes)");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) wanted);
            long at = position;
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer.slice().limit(Math.min(buffer.remaining(), IO_CHUNK_BYTES)), at);
                if (n < 0) {
                    break; // the object is immutable, but tolerate truncation: short read
                }
                at += n;
                buffer.position(buffer.position() + n);
            }
            return buffer.flip();
        }
    }

    /** Maps a key onto a path under the root, rejecting keys that could escape it. */
    private Path resolve(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty() || key.startsWith("/") || key.endsWith("/") || key.indexOf('\0') >= 0
                || key.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("invalid object key: '" + key + "'");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("invalid object key: '" + key + "'");
            }
        }
        String name = key.substring(key.lastIndexOf('/') + 1);
        if (isTemp(name)) {
            throw new IllegalArgumentException("object key uses the reserved prefix " + TEMP_PREFIX + ": " + key);
        }
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new IllegalArgumentException("invalid object key: '" + key + "'");
        }
        return path;
    }

    private String toKey(Path file) {
        Path relative = root.relativize(file);
        StringBuilder key = new StringBuilder();
        for (Path part : relative) {
            if (key.length() > 0) {
                key.append('/');
            }
            key.append(part);
        }
        return key.toString();
    }

    private static boolean isTemp(String fileName) {
        return fileName.startsWith(TEMP_PREFIX);
    }

    /** Creates {@code dir} and any missing parents, forcing each new entry into its parent. */
    private void createDirectoriesDurably(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = dir; p != null && !p.equals(root) && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        while (!missing.isEmpty()) {
            Path p = missing.pop();
            try {
                Files.createDirectory(p);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(p)) {
                    throw e; // a file holds the name, e.g. key "a" when putting "a/b"
                }
            }
            fsyncDirectory(p.getParent());
        }
    }

    /** Removes directories left empty by a delete, up to (not including) the root. */
    private void pruneEmptyParents(Path dir) {
        for (Path p = dir; p != null && !p.equals(root) && p.startsWith(root); p = p.getParent()) {
            try {
                Files.delete(p);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                return;
            } catch (IOException e) {
                return; // best effort: an empty directory costs nothing but an inode
            }
        }
    }

    /**
     * Forces a directory's entries (a rename, a new file or subdirectory) to disk. Some
     * platforms (Windows) cannot open a directory as a channel; there the rename is as durable
     * as the filesystem makes it.
     */
    private void fsyncDirectory(Path dir) {
        if (!fsync) {
            return;
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // not supported on this platform
        }
    }

    private <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    future.complete(task.call());
                } catch (Throwable t) {
                    future.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(new IllegalStateException("object store is closed", e));
        }
        return future;
    }
}
