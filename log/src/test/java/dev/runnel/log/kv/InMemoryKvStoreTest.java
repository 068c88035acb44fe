package dev.runnel.log.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.log.kv.KvStore.Versioned;
import dev.runnel.log.metadata.MetadataStoreException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InMemoryKvStoreTest {
    private final InMemoryKvStore kv = new InMemoryKvStore();

    @Test
    void versionsStartAtOneAndGrowByOne() {
        assertThat(kv.compareAndSet("k", Versioned.ABSENT, bytes("a"))).contains(1L);
        assertThat(kv.compareAndSet("k", 1, bytes("b"))).contains(2L);
        Versioned read = kv.get("k").orElseThrow();
        assertThat(read.version()).isEqualTo(2);
        assertThat(new String(read.value(), StandardCharsets.UTF_8)).isEqualTo("b");
    }

    @Test
    void staleVersionLosesAndChangesNothing() {
        kv.compareAndSet("k", Versioned.ABSENT, bytes("a"));
        assertThat(kv.compareAndSet("k", Versioned.ABSENT, bytes("x"))).isEmpty();
        kv.compareAndSet("k", 1, bytes("b"));
        assertThat(kv.compareAndSet("k", 1, bytes("x"))).isEmpty();
        assertThat(kv.get("k").orElseThrow().value()).isEqualTo(bytes("b"));
        assertThat(kv.writes()).isEqualTo(2);
    }

    @Test
    void valuesAreCopiedInAndOut() {
        byte[] value = bytes("a");
        kv.compareAndSet("k", Versioned.ABSENT, value);
        value[0] = 'z';
        kv.get("k").orElseThrow().value()[0] = 'y';
        assertThat(kv.get("k").orElseThrow().value()).isEqualTo(bytes("a"));
    }

    @Test
    void listsByPrefixInKeyOrder() {
        kv.compareAndSet("ring/b", Versioned.ABSENT, bytes("2"));
        kv.compareAndSet("ring/a", Versioned.ABSENT, bytes("1"));
        kv.compareAndSet("ha/x", Versioned.ABSENT, bytes("3"));
        kv.compareAndSet("ring0", Versioned.ABSENT, bytes("4"));
        assertThat(kv.list("ring/")).extracting(Versioned::key).containsExactly("ring/a", "ring/b");
    }

    @Test
    void deleteNeedsTheCurrentVersion() {
        kv.compareAndSet("k", Versioned.ABSENT, bytes("a"));
        assertThat(kv.delete("k", 2)).isFalse();
        assertThat(kv.delete("k", 1)).isTrue();
        assertThat(kv.get("k")).isEmpty();
        assertThat(kv.delete("k", 1)).isFalse();
    }

    @Test
    void unavailableStoreThrowsRetriableErrors() {
        kv.setUnavailable(true);
        assertThatThrownBy(() -> kv.get("k")).isInstanceOf(MetadataStoreException.class);
        assertThatThrownBy(() -> kv.compareAndSet("k", 0, bytes("a"))).isInstanceOf(MetadataStoreException.class);
        kv.setUnavailable(false);
        assertThat(kv.get("k")).isEmpty();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
