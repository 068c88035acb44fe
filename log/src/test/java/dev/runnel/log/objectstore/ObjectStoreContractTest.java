package dev.runnel.log.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ObjectStore} must do. Subclasses supply a fresh, empty store per test.
 */
abstract class ObjectStoreContractTest {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    protected ObjectStore store;

    /** A new store with no objects in it. */
    protected abstract ObjectStore createStore() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = createStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    // ---- put / get -------------------------------------------------------------------------

    @Test
    void putThenGetWholeObject() {
        byte[] data = randomBytes(1000, 1);
        await(store.put("segments/one.obj", ByteBuffer.wrap(data)));

        ByteBuffer read = await(store.get("segments/one.obj"));

        assertThat(read.position()).isZero();
        assertThat(toArray(read)).isEqualTo(data);
    }

    @Test
    void putStoresFromPositionToLimitAndLeavesTheCallersBufferAlone() {
        byte[] data = randomBytes(100, 2);
        ByteBuffer buffer = ByteBuffer.wrap(data);
        buffer.position(10).limit(60);

        await(store.put("k", buffer));

        assertThat(buffer.position()).isEqualTo(10);
        assertThat(buffer.limit()).isEqualTo(60);
        assertThat(toArray(await(store.get("k")))).isEqualTo(Arrays.copyOfRange(data, 10, 60));
    }

    @Test
    void putAcceptsADirectBuffer() {
        byte[] data = randomBytes(4096, 3);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();

        await(store.put("direct", direct));

        assertThat(toArray(await(store.get("direct")))).isEqualTo(data);
    }

    @Test
    void rangedGetAtStartMiddleAndEnd() {
        byte[] data = randomBytes(1000, 4);
        await(store.put("ranged", ByteBuffer.wrap(data)));

        assertThat(toArray(await(store.get("ranged", 0, 10)))).isEqualTo(Arrays.copyOfRange(data, 0, 10));
        assertThat(toArray(await(store.get("ranged", 500, 100)))).isEqualTo(Arrays.copyOfRange(data, 500, 600));
        assertThat(toArray(await(store.get("ranged", 990, 10)))).isEqualTo(Arrays.copyOfRange(data, 990, 1000));
        assertThat(toArray(await(store.get("ranged", 0, 1000)))).isEqualTo(data);
    }

    @Test
    void rangedGetPastTheEndIsAShortRead() {
        byte[] data = randomBytes(1000, 5);
        await(store.put("short", ByteBuffer.wrap(data)));

        assertThat(toArray(await(store.get("short", 990, 100)))).isEqualTo(Arrays.copyOfRange(data, 990, 1000));
        assertThat(await(store.get("short", 1000, 10)).remaining()).isZero();
        assertThat(await(store.get("short", 5000, 10)).remaining()).isZero();
    }

    @Test
    void zeroLengthGetOfAnExistingObjectIsEmpty() {
        await(store.put("z", ByteBuffer.wrap(randomBytes(10, 6))));

        assertThat(await(store.get("z", 3, 0)).remaining()).isZero();
    }

    @Test
    void emptyObjectRoundTrips() {
        await(store.put("empty", ByteBuffer.allocate(0)));

        assertThat(await(store.get("empty")).remaining()).isZero();
        assertThat(await(store.get("empty", 0, 10)).remaining()).isZero();
        assertThat(await(store.list(""))).containsExactly("empty");
    }

    @Test
    void getOfAMissingKeyFailsWithObjectNotFound() {
        await(store.put("present", ByteBuffer.wrap(randomBytes(10, 7))));

        assertNotFound(store.get("missing"));
        assertNotFound(store.get("missing", 0, 10));
        assertNotFound(store.get("missing", 5, 0));
        assertNotFound(store.get("present/child"));
    }

    @Test
    void negativeRangeFailsTheFutureInsteadOfThrowing() {
        CompletableFuture<ByteBuffer> future = store.get("k", -1, 10);

        assertThat(future).failsWithin(TIMEOUT)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overwriteReplacesTheWholeObject() {
        byte[] first = randomBytes(1000, 8);
        byte[] second = randomBytes(10, 9);
        await(store.put("over", ByteBuffer.wrap(first)));
        await(store.put("over", ByteBuffer.wrap(second)));

        assertThat(toArray(await(store.get("over")))).isEqualTo(second);
        assertThat(await(store.get("over", 0, 1000)).remaining()).isEqualTo(10);
        assertThat(await(store.list(""))).containsExactly("over");
    }

    // ---- delete ----------------------------------------------------------------------------

    @Test
    void deleteThenGetFailsWithObjectNotFound() {
        await(store.put("a/doomed", ByteBuffer.wrap(randomBytes(10, 10))));
        await(store.put("a/kept", ByteBuffer.wrap(randomBytes(10, 11))));

        await(store.delete("a/doomed"));

        assertNotFound(store.get("a/doomed"));
        assertThat(await(store.list(""))).containsExactly("a/kept");
        assertThat(await(store.get("a/kept")).remaining()).isEqualTo(10);
    }

    @Test
    void deleteOfAMissingKeySucceeds() {
        assertThat(store.delete("never/was")).succeedsWithin(TIMEOUT);
        await(store.put("k", ByteBuffer.wrap(randomBytes(1, 12))));
        await(store.delete("k"));
        assertThat(store.delete("k")).succeedsWithin(TIMEOUT);
    }

    @Test
    void aKeyCanBeWrittenAgainAfterDelete() {
        await(store.put("x/y/z", ByteBuffer.wrap(randomBytes(5, 13))));
        await(store.delete("x/y/z"));
        byte[] again = randomBytes(7, 14);
        await(store.put("x/y/z", ByteBuffer.wrap(again)));

        assertThat(toArray(await(store.get("x/y/z")))).isEqualTo(again);
    }

    // ---- list ------------------------------------------------------------------------------

    @Test
    void listByPrefixIsSortedAndIncludesNestedKeys() {
        List<String> keys = List.of(
                "topic-b/0/00000000000000000000.obj",
                "topic-a/1/00000000000000000000.obj",
                "topic-a/0/00000000000000000010.obj",
                "topic-ab",
                "topic-a/0/00000000000000000000.obj",
                "top",
                "topic-a/0/deep/er/00000000000000000005.obj");
        for (String key : keys) {
            await(store.put(key, ByteBuffer.wrap(key.getBytes())));
        }

        assertThat(await(store.list("topic-a/"))).containsExactly(
                "topic-a/0/00000000000000000000.obj",
                "topic-a/0/00000000000000000010.obj",
                "topic-a/0/deep/er/00000000000000000005.obj",
                "topic-a/1/00000000000000000000.obj");
        assertThat(await(store.list("topic-a"))).containsExactly(
                "topic-a/0/00000000000000000000.obj",
                "topic-a/0/00000000000000000010.obj",
                "topic-a/0/deep/er/00000000000000000005.obj",
                "topic-a/1/00000000000000000000.obj",
                "topic-ab");
        assertThat(await(store.list("topic-a/0/0000"))).containsExactly(
                "topic-a/0/00000000000000000000.obj",
                "topic-a/0/00000000000000000010.obj");
        assertThat(await(store.list(""))).isSorted().containsExactlyInAnyOrderElementsOf(keys);
        assertThat(await(store.list("nothing-here"))).isEmpty();
        assertThat(await(store.list("topic-a/0/00000000000000000000.obj/"))).isEmpty();
    }

    @Test
    void listOfAnEmptyStoreIsEmpty() {
        assertThat(await(store.list(""))).isEmpty();
    }

    // ---- size and concurrency --------------------------------------------------------------

    @Test
    void largeObjectRoundTrips() {
        byte[] data = randomBytes(8 * 1024 * 1024, 15);
        await(store.put("large/8mib", ByteBuffer.wrap(data)));

        assertThat(toArray(await(store.get("large/8mib")))).isEqualTo(data);
        int from = 3 * 1024 * 1024 + 17;
        assertThat(toArray(await(store.get("large/8mib", from, 1024 * 1024))))
                .isEqualTo(Arrays.copyOfRange(data, from, from + 1024 * 1024));
    }

    @Test
    void concurrentPutsOfFiftyObjects() {
        int n = 50;
        List<CompletableFuture<Void>> puts = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] data = randomBytes(10_000 + i, 100 + i);
            contents.add(data);
            puts.add(store.put(key(i), ByteBuffer.wrap(data)));
        }
        await(CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)));

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(key(i));
        }
        expected.sort(null);
        assertThat(await(store.list("concurrent/"))).containsExactlyElementsOf(expected);
        for (int i = 0; i < n; i++) {
            assertThat(toArray(await(store.get(key(i))))).as(key(i)).isEqualTo(contents.get(i));
        }
    }

    private static String key(int i) {
        return String.format("concurrent/%02d/object-%03d", i % 5, i);
    }

    // ---- helpers ---------------------------------------------------------------------------

    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("future failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void assertNotFound(CompletableFuture<?> future) {
        assertThat(future).failsWithin(TIMEOUT)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(ObjectNotFoundException.class);
        // Not wrapped in a CompletionException: an exceptionally() handler sees it directly.
        assertThat(future.handle((value, error) -> error).join()).isInstanceOf(ObjectNotFoundException.class);
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
