package dev.runnel.ingester.snapshot;

import dev.runnel.ingester.chunk.Chunk;
import dev.runnel.ingester.head.SeriesState;
import dev.runnel.ingester.head.TenantHead;
import dev.runnel.ingester.head.TenantState;
import dev.runnel.ingester.query.MetricMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes captured heads as a snapshot stream (layout in SNAPSHOT.md). Runs off the appender
 * thread: it reads only what {@code capture()} froze. Strings go through a per-tenant symbol
 * table, defined inline on first use, since a tenant's series share most of their label names and
 * values.
 */
final class HeadEncoder {

    static final byte[] MAGIC = "RNHS".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int END = 0;
    static final int MORE = 1;
    static final int LAST_NONE = 0;
    static final int LAST_FLOAT = 1;
    static final int LAST_HISTOGRAM = 2;

    private final PartOutput out;
    private final ChunkFormat chunks = new ChunkFormat();
    private final Map<String, Integer> symbols = new HashMap<>();
    private long tenants;
    private long series;

    HeadEncoder(PartOutput out) {
        this.out = out;
    }

    /** Writes the whole stream. */
    void write(List<TenantState> heads) throws IOException {
        out.write(MAGIC, 0, MAGIC.length);
        out.writeByte(VERSION);
        for (TenantState tenant : heads) {
            writeTenant(tenant);
        }
        out.writeByte(END);
        out.writeVarint(tenants);
        out.writeVarint(series);
    }

    long tenants() {
        return tenants;
    }

    long series() {
        return series;
    }

    private void writeTenant(TenantState tenant) throws IOException {
        symbols.clear();
        out.writeByte(MORE);
        writeString(tenant.tenant());
        out.writeLong(tenant.maxTime());
        out.writeVarint(tenant.metadata().size());
        for (TenantHead.StoredMetadata stored : tenant.metadata()) {
            MetricMetadata m = stored.metadata();
            writeSymbol(m.family());
            writeSymbol(m.type());
            writeSymbol(m.help());
            writeSymbol(m.unit());
            out.writeLong(stored.seenAt());
        }
        for (SeriesState s : tenant.series()) {
            writeSeries(s);
        }
        out.writeByte(END);
        tenants++;
    }

    private void writeSeries(SeriesState s) throws IOException {
        out.writeByte(MORE);
        String[] pairs = s.pairs();
        out.writeVarint(pairs.length / 2);
        for (String p : pairs) {
            writeSymbol(p);
        }
        out.writeLong(s.maxTime());
        if (s.maxTime() == Long.MIN_VALUE) {
            out.writeByte(LAST_NONE);
        } else if (s.lastHistogram() != null) {
            out.writeByte(LAST_HISTOGRAM);
            ChunkFormat.writeHistogram(s.lastHistogram(), out);
        } else {
            out.writeByte(LAST_FLOAT);
            out.writeLong(s.lastValueBits());
        }
        Chunk[] inOrder = s.chunks();
        out.writeVarint(inOrder.length);
        for (int i = 0; i < inOrder.length; i++) {
            Chunk c = inOrder[i];
            chunks.write(c, i == inOrder.length - 1 ? s.openExtent() : SeriesState.extentOf(c), out);
        }
        Chunk[] outOfOrder = s.outOfOrderChunks();
        out.writeVarint(outOfOrder.length);
        for (Chunk c : outOfOrder) {
            chunks.write(c, SeriesState.extentOf(c), out);
        }
        series++;
    }

    /** A symbol: varint 0 and the string the first time, then varint (its index + 1). */
    private void writeSymbol(String s) throws IOException {
        Integer index = symbols.get(s);
        if (index != null) {
            out.writeVarint(index + 1L);
            return;
        }
        symbols.put(s, symbols.size());
        out.writeVarint(0);
        writeString(s);
    }

    private void writeString(String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeVarint(utf8.length);
        out.write(utf8, 0, utf8.length);
    }
}
