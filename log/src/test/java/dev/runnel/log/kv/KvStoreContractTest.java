package dev.runnel.log.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.log.kv.KvStore.Versioned;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link KvStore} must have. A subclass supplies the database, a fresh one per
 * test, and {@link #openKvStore()} opens another store over it (as another process would).
 */
public abstract class KvStoreContractTest {

    protected KvStore kv;

    /**
     * A store over this test's database: each call a new store instance where the store has a
     * database of its own (one in memory may return the same instance). The subclass closes what
     * it opened after the test.
     */
    protected abstract KvStore openKvStore();

    @BeforeEach
    void openTheStore() {
        kv = openKvStore();
    }

    @AfterEach
    protected void closeStores() throws Exception {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String string(Versioned v) {
        return new String(v.value(), StandardCharsets.UTF_8);
    }

    static List<String> keys(List<Versioned> values) {
        return values.stream().map(Versioned::key).toList();
    }

    @Test
    void aMissingKeyIsEmpty() {
        assertThat(kv.get("missing")).isEmpty();
        assertThat(kv.list("")).isEmpty();
    }

    @Test
    void createsAKeyAtVersionOneOnlyIfItDoesNotExist() {
        assertThat(kv.compareAndSet("ring", Versioned.ABSENT, bytes("v1"))).contains(1L);
        Versioned read = kv.get("ring").orElseThrow();
        assertThat(read.key()).isEqualTo("ring");
        assertThat(read.version()).isEqualTo(1);
        assertThat(string(read)).isEqualTo("v1");

        assertThat(kv.compareAndSet("ring", Versioned.ABSENT, bytes("other"))).isEmpty();
        assertThat(string(kv.get("ring").orElseThrow())).isEqualTo("v1");
    }

    @Test
    void writesOnlyAtTheExpectedVersionAndCountsVersionsUp() {
        kv.compareAndSet("k", Versioned.ABSENT, bytes("a"));
        assertThat(kv.compareAndSet("k", 1, bytes("b"))).contains(2L);
        assertThat(kv.compareAndSet("k", 2, bytes("c"))).contains(3L);

        // A writer that read an older version lost.
        assertThat(kv.compareAndSet("k", 2, bytes("stale"))).isEmpty();
        assertThat(kv.compareAndSet("k", 4, bytes("future"))).isEmpty();
        Versioned read = kv.get("k").orElseThrow();
        assertThat(read.version()).isEqualTo(3);
        assertThat(string(read)).isEqualTo("c");

        // A key that does not exist has no version to match.
        assertThat(kv.compareAndSet("missing", 1, bytes("x"))).isEmpty();
        assertThat(kv.get("missing")).isEmpty();
    }

    @Test
    void deletesOnlyAtTheExpectedVersion() {
        kv.compareAndSet("k", Versioned.ABSENT, bytes("a"));
        kv.compareAndSet("k", 1, bytes("b"));

        assertThat(kv.delete("k", 1)).isFalse();
        assertThat(kv.delete("k", Versioned.ABSENT)).isFalse();
        assertThat(kv.get("k")).isPresent();
        assertThat(kv.delete("k", 2)).isTrue();
        assertThat(kv.get("k")).isEmpty();
        assertThat(kv.delete("k", 2)).isFalse();
        assertThat(kv.delete("never", 1)).isFalse();

        // Created again, it starts again.
        assertThat(kv.compareAndSet("k", Versioned.ABSENT, bytes("new"))).contains(1L);
    }

    @Test
    void listsTheKeysOfAPrefixInKeyOrder() {
        for (String key : List.of("ring/b", "ring/a", "ring", "rinh", "ring0", "RING/x", "ring/é", "ring/a/z",
                "r%ing", "r_ng", "ring/\uD83D\uDE00")) {
            assertThat(kv.compareAndSet(key, Versioned.ABSENT, bytes(key))).contains(1L);
        }
        kv.compareAndSet("ring/b", 1, bytes("b2"));

        List<Versioned> ring = kv.list("ring/");
        assertThat(keys(ring)).containsExactly("ring/a", "ring/a/z", "ring/b", "ring/é", "ring/\uD83D\uDE00");
        assertThat(ring.get(2).version()).isEqualTo(2);
        assertThat(string(ring.get(2))).isEqualTo("b2");
        assertThat(string(ring.get(0))).isEqualTo("ring/a");

        // Case matters, and SQL wildcards are plain characters.
        assertThat(keys(kv.list("RING"))).containsExactly("RING/x");
        assertThat(keys(kv.list("r%"))).containsExactly("r%ing");
        assertThat(keys(kv.list("r_"))).containsExactly("r_ng");
        assertThat(keys(kv.list("ring/a/z/"))).isEmpty();
        assertThat(keys(kv.list("ring"))).containsExactly("ring", "ring/a", "ring/a/z", "ring/b", "ring/é",
                "ring/\uD83D\uDE00", "ring0");
        assertThat(kv.list("")).hasSize(11);
        assertThat(keys(kv.list(""))).isSorted();
    }

    @Test
    void valuesAreOpaqueBytes() {
        byte[] every = new byte[256];
        for (int i = 0; i < every.length; i++) {
            every[i] = (byte) i;
        }
        kv.compareAndSet("every", Versioned.ABSENT, every);
        kv.compareAndSet("empty", Versioned.ABSENT, new byte[0]);
        assertThat(kv.get("every").orElseThrow().value()).isEqualTo(every);
        assertThat(kv.get("empty").orElseThrow().value()).isEmpty();
        assertThat(kv.list("e")).extracting(v -> v.value().length).containsExactly(0, 256);

        // The store keeps its own copy: changing the array written changes nothing stored.
        every[0] = 42;
        assertThat(kv.get("every").orElseThrow().value()[0]).isZero();
    }

    @Test
    void rejectsANegativeVersionAndNulls() {
        assertThatThrownBy(() -> kv.compareAndSet("k", -1, bytes("x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> kv.delete("k", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> kv.compareAndSet("k", 0, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> kv.compareAndSet(null, 0, bytes("x"))).isInstanceOf(NullPointerException.class);
        assertThat(kv.get("k")).isEmpty();
    }

    @Test
    void twoStoresOnOneDatabaseShareTheKeys() {
        KvStore other = openKvStore();
        kv.compareAndSet("k", Versioned.ABSENT, bytes("a"));
        assertThat(other.get("k")).map(Versioned::version).contains(1L);
        assertThat(other.compareAndSet("k", 1, bytes("b"))).contains(2L);
        assertThat(kv.compareAndSet("k", 1, bytes("lost"))).isEmpty();
        assertThat(kv.list("")).extracting(KvStoreContractTest::string).containsExactly("b");
        assertThat(other.delete("k", 2)).isTrue();
        assertThat(kv.get("k")).isEmpty();
    }

    @Test
    void ofWritersRacingToCreateAKeyFromTwoStoresExactlyOneWins() throws Exception {
        KvStore other = openKvStore();
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 10; round++) {
                String key = "leader-" + round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Optional<Long>>> attempts = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    KvStore s = t % 2 == 0 ? kv : other;
                    byte[] candidate = bytes("candidate-" + t);
                    attempts.add(pool.submit(() -> {
                        start.await();
                        return s.compareAndSet(key, Versioned.ABSENT, candidate);
                    }));
                }
                start.countDown();
                List<String> winners = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Optional<Long> result = attempts.get(t).get(30, TimeUnit.SECONDS);
                    if (result.isPresent()) {
                        assertThat(result).contains(1L);
                        winners.add("candidate-" + t);
                    }
                }
                assertThat(winners).as("winners of " + key).hasSize(1);
                assertThat(kv.get(key)).map(KvStoreContractTest::string).contains(winners.get(0));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCounterIncrementedByCompareAndSetFromTwoStoresLosesNoIncrement() throws Exception {
        KvStore other = openKvStore();
        kv.compareAndSet("counter", Versioned.ABSENT, ByteBuffer.allocate(8).putLong(0).array());
        int threads = 4;
        int increments = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                KvStore s = t % 2 == 0 ? kv : other;
                workers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < increments; i++) {
                        while (true) {
                            Versioned current = s.get("counter").orElseThrow();
                            long next = ByteBuffer.wrap(current.value()).getLong() + 1;
                            if (s.compareAndSet("counter", current.version(),
                                    ByteBuffer.allocate(8).putLong(next).array()).isPresent()) {
                                break;
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> w : workers) {
                w.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Versioned counter = kv.get("counter").orElseThrow();
        assertThat(ByteBuffer.wrap(counter.value()).getLong()).isEqualTo((long) threads * increments);
        assertThat(counter.version()).isEqualTo(1L + threads * increments);
    }
}
