package dev.runnel.ingester.snapshot;

import dev.runnel.ingester.head.Heads;
import dev.runnel.ingester.head.TenantState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A snapshot stream written to and read from parts kept in memory. */
final class InMemoryParts {
    final List<ByteBuffer> parts = new ArrayList<>();
    List<Manifest.Part> manifest;

    static InMemoryParts write(List<TenantState> state, int partBytes) throws IOException {
        InMemoryParts out = new InMemoryParts();
        PartOutput output = new PartOutput(partBytes, (index, part) -> {
            out.parts.add(index, part);
            return CompletableFuture.completedFuture(null);
        });
        new HeadEncoder(output).write(state);
        out.manifest = output.finish();
        return out;
    }

    Heads read() throws IOException {
        Heads heads = new Heads(SnapshotTestHeads.CONFIG);
        new HeadDecoder(new PartInput(manifest, i -> CompletableFuture.completedFuture(parts.get(i).duplicate()))).read(heads);
        return heads;
    }

    /** The whole stream. */
    byte[] bytes() {
        int size = parts.stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer all = ByteBuffer.allocate(size);
        parts.forEach(p -> all.put(p.duplicate()));
        return all.array();
    }
}
