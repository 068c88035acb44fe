package dev.runnel.ingester.snapshot;

import static dev.runnel.ingester.snapshot.HeadEncoder.END;
import static dev.runnel.ingester.snapshot.HeadEncoder.LAST_FLOAT;
import static dev.runnel.ingester.snapshot.HeadEncoder.LAST_HISTOGRAM;
import static dev.runnel.ingester.snapshot.HeadEncoder.LAST_NONE;
import static dev.runnel.ingester.snapshot.HeadEncoder.MAGIC;
import static dev.runnel.ingester.snapshot.HeadEncoder.MORE;
import static dev.runnel.ingester.snapshot.HeadEncoder.VERSION;

import dev.runnel.ingester.chunk.Chunk;
import dev.runnel.ingester.head.Heads;
import dev.runnel.ingester.head.SeriesState;
import dev.runnel.ingester.head.TenantHead;
import dev.runnel.ingester.query.MetricMetadata;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a snapshot stream ({@link HeadEncoder}) into empty heads, series by series, so a head of
 * any size is restored without holding the stream. Any inconsistency is an {@link IOException}
 * saying what was wrong; the heads are then half restored and must be thrown away.
 */
final class HeadDecoder {

    private static final int MAX_STRING_BYTES = 1 << 20;
    private static final int MAX_LABELS = 1 << 12;
    private static final int MAX_CHUNKS = 1 << 20;

    private final PartInput in;
    private final ChunkFormat chunks = new ChunkFormat();
    private final List<String> symbols = new ArrayList<>();
    private byte[] scratch = new byte[256];
    private long tenants;
    private long series;

    HeadDecoder(PartInput in) {
        this.in = in;
    }

    /** Restores every tenant into {@code heads}, which must be empty. */
    void read(Heads heads) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic, 0, magic.length);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException("not a head snapshot: it starts with " + new String(magic, StandardCharsets.ISO_8859_1));
        }
        int version = in.readByte();
        if (version != VERSION) {
            throw new IOException("head snapshot version " + version + " is not supported (this build reads " + VERSION + ")");
        }
        while (tag("tenant") == MORE) {
            readTenant(heads);
        }
        long tenantCount = in.readVarint();
        long seriesCount = in.readVarint();
        if (tenantCount != tenants || seriesCount != series) {
            throw new IOException("head snapshot ends with " + tenantCount + " tenants and " + seriesCount + " series, but holds "
                    + tenants + " and " + series);
        }
        if (!in.atEnd()) {
            throw new IOException("head snapshot has bytes after its end");
        }
    }

    long tenants() {
        return tenants;
    }

    long series() {
        return series;
    }

    private int tag(String what) throws IOException {
        int tag = in.readByte();
        if (tag != MORE && tag != END) {
            throw new IOException("expected a " + what + " or the end, found tag " + tag);
        }
        return tag;
    }

    private void readTenant(Heads heads) throws IOException {
        symbols.clear();
        String tenant = readString();
        if (tenant.isEmpty() || heads.get(tenant) != null) {
            throw new IOException("tenant \"" + tenant + "\" is empty or appears twice");
        }
        TenantHead head = heads.forTenant(tenant);
        head.restoreMaxTime(in.readLong());
        int metadata = in.readCount(Integer.MAX_VALUE, "metadata count");
        for (int i = 0; i < metadata; i++) {
            MetricMetadata m = new MetricMetadata(readSymbol(head), readSymbol(head), readSymbol(head), readSymbol(head));
            head.restoreMetadata(m, in.readLong());
        }
        while (tag("series") == MORE) {
            readSeries(head);
        }
        tenants++;
    }

    private void readSeries(TenantHead head) throws IOException {
        int labels = in.readCount(MAX_LABELS, "label count");
        String[] pairs = new String[labels * 2];
        for (int i = 0; i < pairs.length; i++) {
            pairs[i] = readSymbol(head);
        }
        long maxTime = in.readLong();
        long lastValueBits = 0;
        Histogram lastHistogram = null;
        int last = in.readByte();
        switch (last) {
            case LAST_NONE -> {
            }
            case LAST_FLOAT -> lastValueBits = in.readLong();
            case LAST_HISTOGRAM -> lastHistogram = chunks.readHistogram(in);
            default -> throw new IOException("unknown kind of last sample " + last);
        }
        Chunk[] inOrder = readChunks();
        Chunk[] outOfOrder = readChunks();
        try {
            head.restore(new SeriesState(pairs, maxTime, lastValueBits, lastHistogram, inOrder, 0, outOfOrder));
        } catch (IllegalArgumentException e) {
            throw new IOException("series " + series + " of tenant " + head.tenant() + ": " + e.getMessage(), e);
        }
        series++;
    }

    private Chunk[] readChunks() throws IOException {
        Chunk[] result = new Chunk[in.readCount(MAX_CHUNKS, "chunk count")];
        for (int i = 0; i < result.length; i++) {
            result[i] = chunks.read(in);
        }
        return result;
    }

    private String readSymbol(TenantHead head) throws IOException {
        long ref = in.readVarint();
        if (ref == 0) {
            int length = readBytes();
            String s = head.intern(scratch, 0, length);
            symbols.add(s);
            return s;
        }
        if (ref < 0 || ref > symbols.size()) {
            throw new IOException("symbol " + (ref - 1) + " is not defined (" + symbols.size() + " are)");
        }
        return symbols.get((int) (ref - 1));
    }

    private String readString() throws IOException {
        int length = readBytes();
        return new String(scratch, 0, length, StandardCharsets.UTF_8);
    }

    /** A string's UTF-8 bytes into {@code scratch}; returns their count. */
    private int readBytes() throws IOException {
        int length = in.readCount(MAX_STRING_BYTES, "string bytes");
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        in.readFully(scratch, 0, length);
        return length;
    }
}
