package dev.runnel.ingester.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.ingester.HeadDump;
import dev.runnel.ingester.head.DiscardReason;
import dev.runnel.ingester.head.Heads;
import dev.runnel.ingester.head.TenantHead;
import dev.runnel.ingester.head.TenantState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotFormatTest {

    @ParameterizedTest
    @ValueSource(ints = {16, 1000, SnapshotStore.DEFAULT_PART_BYTES})
    void roundTripRestoresEverySeriesSampleAndMetadataInAnyPartSize(int partBytes) throws IOException {
        Heads original = SnapshotTestHeads.filled(300);
        InMemoryParts parts = InMemoryParts.write(original.capture(), partBytes);
        if (partBytes == 16) {
            assertThat(parts.parts).hasSizeGreaterThan(100).allSatisfy(p -> assertThat(p.remaining()).isLessThanOrEqualTo(16));
        }

        Heads restored = parts.read();

        assertThat(HeadDump.of(restored)).isEqualTo(HeadDump.of(original));
        assertThat(HeadDump.of(restored)).contains("7ff0000000000002", "8000000000000000"); // stale marker, -0.0
        for (TenantHead head : original.all()) {
            TenantHead copy = restored.get(head.tenant());
            assertThat(copy.seriesCount()).isEqualTo(head.seriesCount());
            assertThat(copy.chunkCount()).isEqualTo(head.chunkCount());
            assertThat(copy.maxTime()).isEqualTo(head.maxTime());
        }
        // The same bytes again: chunks, appender state and the series without samples all came back as they were.
        assertThat(InMemoryParts.write(restored.capture(), 1 << 20).bytes()).isEqualTo(parts.bytes());
    }

    @Test
    void aRestoredHeadContinuesExactlyAsTheOriginal() throws IOException {
        Heads original = SnapshotTestHeads.filled(130);
        Heads restored = InMemoryParts.write(original.capture(), 1000).read();

        // the open chunks fill up and are cut at the same samples, duplicates and out-of-order samples are judged alike
        SnapshotTestHeads.fill(original, 130, 400);
        SnapshotTestHeads.fill(restored, 130, 400);

        assertThat(HeadDump.of(restored)).isEqualTo(HeadDump.of(original));
        assertThat(InMemoryParts.write(restored.capture(), 1 << 20).bytes())
                .isEqualTo(InMemoryParts.write(original.capture(), 1 << 20).bytes());
        TenantHead a = original.get("a");
        TenantHead b = restored.get("a");
        for (DiscardReason reason : DiscardReason.values()) {
            // counters start at zero after a restore: compare what the second run discarded
            assertThat(b.discarded(reason)).as(reason.label()).isLessThanOrEqualTo(a.discarded(reason));
        }
        assertThat(b.discarded(DiscardReason.DUPLICATE_SAMPLE_FOR_TIMESTAMP)).isEqualTo(90);
    }

    @Test
    void aCaptureTakenWhileAppendsGoOnHoldsExactlyTheHeadAsCaptured() throws IOException {
        Heads live = SnapshotTestHeads.filled(125);
        List<TenantState> captured = live.capture();
        // the appender goes on: open chunks grow (and their arrays are copied), get cut, gc runs
        SnapshotTestHeads.fill(live, 125, 1000);
        live.gc();

        Heads restored = InMemoryParts.write(captured, 4096).read();

        assertThat(HeadDump.of(restored)).isEqualTo(HeadDump.of(SnapshotTestHeads.filled(125)));
    }

    @Test
    void aCorruptPartIsDetectedBeforeItIsParsed() throws IOException {
        InMemoryParts parts = InMemoryParts.write(SnapshotTestHeads.filled(50).capture(), 1000);
        ByteBuffer part = parts.parts.get(2);
        part.put(17, (byte) (part.get(17) ^ 0x01));

        assertThatThrownBy(parts::read).isInstanceOf(IOException.class).hasMessageContaining("part 2 is corrupt: CRC-32C");
    }

    @Test
    void aMissingOrShortPartIsDetected() throws IOException {
        InMemoryParts parts = InMemoryParts.write(SnapshotTestHeads.filled(50).capture(), 1000);
        InMemoryParts truncated = new InMemoryParts();
        truncated.parts.addAll(parts.parts);
        truncated.manifest = parts.manifest.subList(0, parts.manifest.size() - 1);
        assertThatThrownBy(truncated::read).isInstanceOf(IOException.class).hasMessageContaining("ends early");

        parts.parts.set(1, parts.parts.get(1).slice(0, 10));
        assertThatThrownBy(parts::read).isInstanceOf(IOException.class).hasMessageContaining("part 1 has 10 bytes, the manifest says " + parts.manifest.get(1).length());
    }

    @Test
    void anotherVersionIsRefusedWithTheVersionsNamed() throws IOException {
        InMemoryParts parts = InMemoryParts.write(SnapshotTestHeads.filled(5).capture(), 1 << 20);
        ByteBuffer stream = parts.parts.get(0);
        stream.put(4, (byte) 9);
        parts.manifest = List.of(new Manifest.Part(stream.remaining(), crc(stream)));

        assertThatThrownBy(parts::read).isInstanceOf(IOException.class)
                .hasMessage("head snapshot version 9 is not supported (this build reads 1)");
    }

    @Test
    void manifestRoundTripsAndDetectsCorruption() throws IOException {
        Manifest manifest = new Manifest(1234, 1_700_000_000_000L, 2, 7, 30, List.of(new Manifest.Part(10, 42), new Manifest.Part(20, -1)));
        ByteBuffer bytes = manifest.encode();
        assertThat(Manifest.decode(bytes)).isEqualTo(manifest);

        for (int i = 0; i < bytes.remaining(); i++) {
            ByteBuffer corrupt = ByteBuffer.allocate(bytes.remaining()).put(bytes.duplicate()).flip();
            corrupt.put(i, (byte) (corrupt.get(i) ^ 0x10));
            assertThatThrownBy(() -> Manifest.decode(corrupt)).as("byte %d flipped", i).isInstanceOf(IOException.class);
        }
        assertThatThrownBy(() -> Manifest.decode(bytes.duplicate().limit(20))).isInstanceOf(IOException.class)
                .hasMessageContaining("truncated");
    }

    private static int crc(ByteBuffer b) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b.duplicate());
        return (int) crc.getValue();
    }
}
