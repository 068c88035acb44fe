package dev.runnel.log.objectstore;

import static dev.runnel.log.objectstore.ObjectStoreContractTest.TIMEOUT;
import static dev.runnel.log.objectstore.ObjectStoreContractTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DelayedObjectStoreTest {

    @TempDir
    Path root;

    @Test
    void holdsBackResultsWithoutBlockingTheCaller() {
        // Seed 62 draws about 30 ms for the put, then about 380 ms for the get (3.4 standard deviations up).
        try (DelayedObjectStore store = new DelayedObjectStore(new FileSystemObjectStore(root), LatencyProfile.S3_STANDARD, 62)) {
            await(store.put("k", ByteBuffer.wrap(new byte[] {1, 2, 3})));
            CompletableFuture<ByteBuffer> get = store.get("k");
            assertThat(get).isNotDone();
            assertThat(await(get).remaining()).isEqualTo(3);
        }
    }

    @Test
    void failuresArriveDelayedAndUnwrapped() {
        try (DelayedObjectStore store = new DelayedObjectStore(new FileSystemObjectStore(root), LatencyProfile.S3_EXPRESS, 7)) {
            assertThat(store.get("missing")).failsWithin(TIMEOUT).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(ObjectNotFoundException.class);
        }
    }

    @Test
    void noneReturnsTheDelegatesFuture() {
        try (DelayedObjectStore store = new DelayedObjectStore(new FileSystemObjectStore(root), LatencyProfile.NONE, 7)) {
            assertThat(await(store.list(""))).isEmpty();
        }
    }
}
