package dev.runnel.ingester.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.ingester.HeadDump;
import dev.runnel.log.objectstore.FileSystemObjectStore;
import dev.runnel.log.objectstore.ObjectStore;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots in the filesystem object store; {@code SnapshotStoreS3IT} runs the same against S3. */
class SnapshotStoreTest {
    @TempDir
    Path dir;
    private ObjectStore objects;
    private SnapshotStore store;

    protected ObjectStore createStore(Path dir) throws Exception {
        return new FileSystemObjectStore(dir, 2, false);
    }

    @BeforeEach
    void open() throws Exception {
        objects = createStore(dir);
        store = new SnapshotStore(objects, "ingest", 3, "a", 1000);
    }

    @AfterEach
    void close() {
        objects.close();
    }

    @Test
    void keysLiveUnderTheZonesFolderOfThePartitionAndNameTheOffset() throws Exception {
        SnapshotStore.Written written = store.write(SnapshotTestHeads.filled(50).capture(), 1234, 1_700_000_000_000L);

        assertThat(written.name()).isEqualTo("00000000000000001234-1700000000000");
        assertThat(written.parts()).isGreaterThan(1);
        assertThat(objects.list("").get()).first().isEqualTo("snapshots/ingest/3/a/00000000000000001234-1700000000000/manifest");
        assertThat(objects.list("").get()).hasSize(written.parts() + 1)
                .contains("snapshots/ingest/3/a/00000000000000001234-1700000000000/part-00000");
    }

    @Test
    void loadsTheNewestSnapshotAndSkipsACorruptOneForTheOneBefore() throws Exception {
        assertThat(store.loadNewest(SnapshotTestHeads.CONFIG)).isEmpty();
        store.write(SnapshotTestHeads.filled(50).capture(), 100, 1000);
        SnapshotStore.Written newest = store.write(SnapshotTestHeads.filled(80).capture(), 200, 2000);

        SnapshotStore.Loaded loaded = store.loadNewest(SnapshotTestHeads.CONFIG).orElseThrow();
        assertThat(loaded.offset()).isEqualTo(200);
        assertThat(HeadDump.of(loaded.heads())).isEqualTo(HeadDump.of(SnapshotTestHeads.filled(80)));

        String part = store.prefix() + newest.name() + "/part-00001";
        ByteBuffer bytes = objects.get(part).get();
        bytes.put(5, (byte) (bytes.get(5) + 1));
        objects.put(part, bytes).get();
        // and an unfinished newer one, as a crash while writing leaves it
        objects.put(store.prefix() + "00000000000000000300-0000000003000/part-00000", ByteBuffer.wrap(new byte[] {1, 2, 3})).get();

        SnapshotStore.Loaded fallback = store.loadNewest(SnapshotTestHeads.CONFIG).orElseThrow();
        assertThat(fallback.offset()).isEqualTo(100);
        assertThat(HeadDump.of(fallback.heads())).isEqualTo(HeadDump.of(SnapshotTestHeads.filled(50)));
    }

    @Test
    void deletesAllButTheNewestTwoAndOlderUnfinishedOnes() throws Exception {
        objects.put(store.prefix() + "00000000000000000050-0000000000500/part-00000", ByteBuffer.wrap(new byte[] {1})).get();
        store.write(SnapshotTestHeads.filled(5).capture(), 100, 1000);
        store.write(SnapshotTestHeads.filled(6).capture(), 200, 2000);
        objects.put(store.prefix() + "00000000000000000250-0000000002500/part-00000", ByteBuffer.wrap(new byte[] {1})).get();
        store.write(SnapshotTestHeads.filled(7).capture(), 300, 3000);
        objects.put(store.prefix() + "00000000000000000400-0000000004000/part-00000", ByteBuffer.wrap(new byte[] {1})).get();

        assertThat(store.deleteOld(Snapshotter.KEEP)).isEqualTo(3);

        assertThat(store.completeSnapshots()).containsExactly("00000000000000000200-0000000002000", "00000000000000000300-0000000003000");
        List<String> left = objects.list(store.prefix()).get().stream().map(k -> k.substring(store.prefix().length(), k.indexOf('/',
                store.prefix().length()))).distinct().toList();
        assertThat(left).containsExactly("00000000000000000200-0000000002000", "00000000000000000300-0000000003000",
                "00000000000000000400-0000000004000"); // the newer unfinished one may still be being written
        assertThat(store.deleteOld(Snapshotter.KEEP)).isZero();
    }
}
