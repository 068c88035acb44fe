package dev.runnel.log.objectstore;

import static dev.runnel.log.objectstore.ObjectStoreContractTest.TIMEOUT;
import static dev.runnel.log.objectstore.ObjectStoreContractTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstrumentedObjectStoreTest {

    @TempDir
    Path root;

    private InstrumentedObjectStore store;

    @BeforeEach
    void open() {
        store = new InstrumentedObjectStore(new FileSystemObjectStore(root), "fs");
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void successfulCallsCountRequestsBytesAndLatency() {
        double putOk = requests("put", "success");
        double getOk = requests("get", "success");
        double rangeOk = requests("range_get", "success");
        double putBytes = bytes("put");
        double getBytes = bytes("get");
        double rangeBytes = bytes("range_get");
        long putTimings = timings("put");
        long getTimings = timings("get");
        long rangeTimings = timings("range_get");

        ByteBuffer content = ByteBuffer.wrap(new byte[1000]);
        content.position(100);
        await(store.put("k", content));
        await(store.get("k"));
        await(store.get("k", 850, 100));

        assertThat(requests("put", "success") - putOk).isEqualTo(1);
        assertThat(bytes("put") - putBytes).isEqualTo(900);
        assertThat(requests("get", "success") - getOk).isEqualTo(1);
        assertThat(requests("range_get", "success") - rangeOk).isEqualTo(1);
        assertThat(bytes("get") - getBytes).isEqualTo(900);
        assertThat(bytes("range_get") - rangeBytes).isEqualTo(50); // the ranged read was short
        assertThat(timings("put") - putTimings).isEqualTo(1);
        assertThat(timings("get") - getTimings).isEqualTo(1);
        assertThat(timings("range_get") - rangeTimings).isEqualTo(1);
    }

    @Test
    void listAndDeleteAreCountedWithoutBytes() {
        double listOk = requests("list", "success");
        double deleteOk = requests("delete", "success");
        double listBytes = bytes("list");
        double deleteBytes = bytes("delete");

        await(store.put("a/b", ByteBuffer.wrap(new byte[10])));
        assertThat(await(store.list("a/"))).containsExactly("a/b");
        await(store.delete("a/b"));
        await(store.delete("a/b"));

        assertThat(requests("list", "success") - listOk).isEqualTo(1);
        assertThat(requests("delete", "success") - deleteOk).isEqualTo(2);
        assertThat(bytes("list") - listBytes).isZero();
        assertThat(bytes("delete") - deleteBytes).isZero();
    }

    @Test
    void failuresCountAsErrorsAndPassTheCauseThroughUnwrapped() {
        double getErr = requests("get", "error");
        double getOk = requests("get", "success");
        double getBytes = bytes("get");
        long getTimings = timings("get");

        CompletableFuture<ByteBuffer> missing = store.get("missing");

        assertThat(missing).failsWithin(TIMEOUT).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(ObjectNotFoundException.class);
        missing.exceptionally(t -> {
            assertThat(t).isInstanceOf(ObjectNotFoundException.class);
            return null;
        }).join();
        assertThat(requests("get", "error") - getErr).isEqualTo(1);
        assertThat(requests("get", "success") - getOk).isZero();
        assertThat(bytes("get") - getBytes).isZero();
        assertThat(timings("get") - getTimings).isEqualTo(1);
    }

    @Test
    void aDelegateThatThrowsIsCountedAndTurnedIntoAFailedFuture() {
        ObjectStore throwing = new ObjectStore() {
            @Override public CompletableFuture<Void> put(String key, ByteBuffer content) { throw new IllegalStateException("boom"); }
            @Override public CompletableFuture<ByteBuffer> get(String key, long position, int length) { throw new IllegalStateException("boom"); }
            @Override public CompletableFuture<ByteBuffer> get(String key) { throw new IllegalStateException("boom"); }
            @Override public CompletableFuture<Void> delete(String key) { throw new IllegalStateException("boom"); }
            @Override public CompletableFuture<List<String>> list(String prefix) { throw new IllegalStateException("boom"); }
            @Override public void close() { }
        };
        double putErr = requests("put", "error");
        double putBytes = bytes("put");
        try (InstrumentedObjectStore wrapped = new InstrumentedObjectStore(throwing, "throwing")) {
            assertThat(wrapped.put("k", ByteBuffer.wrap(new byte[5]))).failsWithin(TIMEOUT)
                    .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(IllegalStateException.class);
        }
        assertThat(requests("put", "error") - putErr).isEqualTo(1);
        assertThat(bytes("put") - putBytes).isZero();
    }

    @Test
    void severalInstancesShareOneRegistrationInTheDefaultRegistry() {
        double putOk = requests("put", "success");
        try (InstrumentedObjectStore second = new InstrumentedObjectStore(new FileSystemObjectStore(root.resolve("2")), "second")) {
            await(second.put("x", ByteBuffer.wrap(new byte[1])));
            await(store.put("x", ByteBuffer.wrap(new byte[1])));
        }
        assertThat(requests("put", "success") - putOk).isEqualTo(2);

        List<String> names = PrometheusRegistry.defaultRegistry.scrape().stream()
                .map(MetricSnapshot::getMetadata).map(m -> m.getPrometheusName()).toList();
        assertThat(names).contains(
                "runnel_object_store_requests",
                "runnel_object_store_bytes",
                "runnel_object_store_request_duration_seconds");
    }

    private static double requests(String operation, String outcome) {
        return InstrumentedObjectStore.REQUESTS.labelValues(operation, outcome).get();
    }

    private static double bytes(String operation) {
        return InstrumentedObjectStore.BYTES.labelValues(operation).get();
    }

    private static long timings(String operation) {
        return InstrumentedObjectStore.DURATION.labelValues(operation).getCount();
    }
}
