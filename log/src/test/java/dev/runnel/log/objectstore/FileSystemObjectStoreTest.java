package dev.runnel.log.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemObjectStoreTest extends ObjectStoreContractTest {

    @TempDir
    Path root;

    @Override
    protected ObjectStore createStore() {
        return new FileSystemObjectStore(root);
    }

    @Test
    void keysMapToSubdirectories() throws IOException {
        byte[] data = randomBytes(10, 1);
        await(store.put("a/b/c.obj", ByteBuffer.wrap(data)));

        assertThat(Files.readAllBytes(root.resolve("a").resolve("b").resolve("c.obj"))).isEqualTo(data);
    }

    @Test
    void noTempFilesAreLeftBehind() throws IOException {
        List<CompletableFuture<Void>> puts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            puts.add(store.put("t/" + (i % 3) + "/o" + i, ByteBuffer.wrap(randomBytes(1000, i))));
        }
        await(CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)));
        await(store.put("t/0/o0", ByteBuffer.wrap(randomBytes(5, 99)))); // an overwrite too

        assertThat(allFileNames()).hasSize(20).noneMatch(n -> n.startsWith(FileSystemObjectStore.TEMP_PREFIX));
        assertThat(await(store.list(""))).hasSize(20);
    }

    @Test
    void aTempFileLeftByACrashIsNotListedNorReadable() throws IOException {
        await(store.put("seg/real.obj", ByteBuffer.wrap(randomBytes(10, 2))));
        Path leftover = root.resolve("seg").resolve(FileSystemObjectStore.TEMP_PREFIX + "crashed");
        Files.write(leftover, randomBytes(5, 3));
        Files.createDirectories(root.resolve("other"));
        Files.write(root.resolve("other").resolve(FileSystemObjectStore.TEMP_PREFIX + "x"), new byte[1]);

        assertThat(await(store.list(""))).containsExactly("seg/real.obj");
        assertThat(await(store.list("seg/"))).containsExactly("seg/real.obj");
        assertThat(store.get("seg/" + FileSystemObjectStore.TEMP_PREFIX + "crashed"))
                .failsWithin(TIMEOUT).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readersNeverSeeAPartialObject() throws Exception {
        int size = 256 * 1024;
        byte[] as = filled(size, (byte) 'A');
        byte[] bs = filled(size, (byte) 'B');
        await(store.put("hot", ByteBuffer.wrap(as)));
        AtomicBoolean writing = new AtomicBoolean(true);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 60; i++) {
                await(store.put("hot", ByteBuffer.wrap(i % 2 == 0 ? bs : as)));
            }
            writing.set(false);
        });
        int reads = 0;
        while (writing.get() || reads < 10) {
            byte[] read = toArray(await(store.get("hot")));
            assertThat(read).hasSize(size);
            assertThat(read).satisfiesAnyOf(r -> assertThat(r).isEqualTo(as), r -> assertThat(r).isEqualTo(bs));
            reads++;
        }
        await(writer);
        assertThat(reads).isGreaterThanOrEqualTo(10);
    }

    @Test
    void deleteRemovesDirectoriesItLeavesEmpty() {
        await(store.put("x/y/z", ByteBuffer.wrap(randomBytes(5, 4))));
        await(store.put("x/kept", ByteBuffer.wrap(randomBytes(5, 5))));

        await(store.delete("x/y/z"));

        assertThat(root.resolve("x").resolve("y")).doesNotExist();
        assertThat(root.resolve("x")).isDirectory();
        await(store.delete("x/kept"));
        assertThat(root.resolve("x")).doesNotExist();
        assertThat(root).isDirectory();
    }

    @Test
    void keysThatCouldEscapeTheRootAreRejected() {
        for (String bad : List.of("", "/abs", "../escape", "a/../../b", "a//b", "a/./b", "trailing/", "a\\b")) {
            assertThat(store.put(bad, ByteBuffer.wrap(new byte[1])))
                    .as("put '%s'", bad)
                    .failsWithin(TIMEOUT).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(IllegalArgumentException.class);
        }
        assertThat(await(store.list("../"))).isEmpty();
        assertThat(await(store.list("/"))).isEmpty();
    }

    @Test
    void aKeyThatIsAlsoADirectoryOfOtherKeysIsNotAnObject() {
        await(store.put("dir/child", ByteBuffer.wrap(randomBytes(3, 6))));

        assertNotFound(store.get("dir"));
        assertThat(store.delete("dir/child/grandchild")).succeedsWithin(TIMEOUT);
    }

    @Test
    void callsAfterCloseFailTheirFutureInsteadOfThrowing() {
        store.close();

        assertThat(store.put("late", ByteBuffer.wrap(new byte[1])))
                .failsWithin(TIMEOUT).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IllegalStateException.class);
        assertThat(store.list("")).failsWithin(TIMEOUT);
    }

    @Test
    void ioRunsOnOwnNamedDaemonThreadsThatCloseStops(@TempDir Path otherRoot) throws Exception {
        java.util.Set<Thread> before = poolThreads();
        FileSystemObjectStore fs = new FileSystemObjectStore(otherRoot, 2, true);
        List<CompletableFuture<Void>> puts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            puts.add(fs.put("k" + i, ByteBuffer.wrap(randomBytes(100_000, i))));
        }
        await(CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)));

        java.util.Set<Thread> mine = poolThreads();
        mine.removeAll(before);
        assertThat(mine).hasSizeBetween(1, 2).allMatch(Thread::isDaemon);

        fs.close();
        for (Thread t : mine) {
            t.join(5_000);
            assertThat(t.isAlive()).as(t.getName()).isFalse();
        }
    }

    private static java.util.Set<Thread> poolThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("objectstore-fs-"))
                .collect(Collectors.toCollection(java.util.HashSet::new));
    }

    private List<String> allFileNames() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).collect(Collectors.toList());
        }
    }

    private static byte[] filled(int n, byte b) {
        byte[] bytes = new byte[n];
        java.util.Arrays.fill(bytes, b);
        return bytes;
    }
}
