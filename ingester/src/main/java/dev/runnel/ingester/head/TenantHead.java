package dev.runnel.ingester.head;

import dev.runnel.ingester.chunk.Chunk;
import dev.runnel.ingester.chunk.HistogramChunk;
import dev.runnel.ingester.chunk.OutOfOrderChunk;
import dev.runnel.ingester.chunk.XorChunk;
import dev.runnel.ingester.labels.Labels;
import dev.runnel.ingester.query.MetricMetadata;
import dev.runnel.ingester.query.Querier;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One tenant's in-memory time series: series by label set, their chunks, the inverted index and
 * the metric families' metadata.
 *
 * <h2>Threads</h2>
 * One appender thread (the partition consumer) calls the appending methods and {@link #gc()};
 * any number of query threads use {@link #querier()} and {@link #stats()}. The appender may hand
 * finding series and appending to them to a second thread ({@link PipelinedAppender}) while it
 * goes on decoding and interning, if the two hand over with a happens-before edge and everything
 * else ({@link #gc()}, snapshots) waits until the second thread is done. Nothing takes a lock:
 * <ul>
 * <li>the series table is touched by the thread finding series only, the interner by the thread
 *     interning only;</li>
 * <li>chunks are appended in place and publish their sample count last (a volatile write), and
 *     a reader decodes only the samples counted when it started;</li>
 * <li>a series' chunk lists are immutable arrays replaced whole when a chunk is cut (every 120
 *     samples) or collected;</li>
 * <li>postings lists are append-only with the size published last, since new series get
 *     increasing references; collecting series replaces the affected lists with new ones, so a
 *     query holding the old list still reads a consistent (slightly stale) set, and a reference
 *     to a collected series resolves to nothing and is skipped.</li>
 * </ul>
 * A query therefore never blocks an append, and the appender never waits for queries.
 *
 * <h2>Appending</h2>
 * As in Prometheus: a sample later than its series' newest is appended; one at the same
 * timestamp with the same value (bit for bit) is ignored, with another value discarded as a
 * duplicate; an earlier one is out of order: discarded, unless an out-of-order window is
 * configured and the sample is within it of the head's newest sample, then it goes to the
 * series' out-of-order chunks. Samples older than the retention are too old. Out-of-order
 * histograms are always discarded.
 */
public final class TenantHead {

    /** What {@link #seriesRef} returns when the series limit kept a new series out; appending to it discards. */
    public static final int NO_SERIES = -1;

    private static final int SAMPLES_APPENDED = 0;
    private static final int SERIES = 1;
    private static final int CHUNKS = 2;
    private static final int DISCARDED = 3;

    private final String tenant;
    private final HeadConfig config;
    private final long retentionMillis;
    private final long outOfOrderWindowMillis;
    private final Interner interner = new Interner();
    private final SeriesTable table = new SeriesTable();
    private final SeriesRefs refs = new SeriesRefs();
    private final PostingsIndex index = new PostingsIndex();
    private final Map<String, StoredMetadata> metadata = new ConcurrentHashMap<>();
    private final Counters counters = new Counters(DISCARDED + DiscardReason.values().length);
    private final Querier querier;
    private volatile long maxTime = Long.MIN_VALUE;
    private long minValidTime = Long.MIN_VALUE;
    private int collectedSinceInternerRebuild;

    public TenantHead(String tenant, HeadConfig config) {
        this.tenant = tenant;
        this.config = config;
        this.retentionMillis = config.retention().toMillis();
        this.outOfOrderWindowMillis = config.outOfOrderWindow().toMillis();
        this.querier = new HeadQuerier(index, refs, metadata);
    }

    public String tenant() {
        return tenant;
    }

    /** The newest sample's timestamp, or {@link Long#MIN_VALUE} while the head is empty. */
    public long maxTime() {
        return maxTime;
    }

    public Querier querier() {
        return querier;
    }

    // ---- appender thread ----

    /** The tenant's string for these UTF-8 bytes; label sets passed to {@link #seriesRef} should be made of these. */
    public String intern(byte[] bytes, int offset, int length) {
        return interner.intern(bytes, offset, length);
    }

    /** The tenant's string equal to {@code s}. */
    public String intern(String s) {
        return interner.intern(s);
    }

    /**
     * The reference of the series with the labels in the first {@code length} strings of
     * {@code pairs} (names and values alternating; sorted by name in place if they are not, and
     * labels with empty values left out), created if new, or {@link #NO_SERIES} if it would be
     * new and the tenant is at its series limit.
     *
     * @throws IllegalArgumentException if a label name appears twice or no label is left
     */
    public int seriesRef(String[] pairs, int length) {
        length = normalize(pairs, length);
        MemSeries series = series(pairs, 0, length, Labels.hash(pairs, length));
        return series == null ? NO_SERIES : series.ref;
    }

    /**
     * Makes the first {@code length} strings of {@code pairs} (names and values alternating) a
     * label set as series have them: labels with empty values left out, sorted by name, in place.
     * Returns the new length.
     *
     * @throws IllegalArgumentException if a label name appears twice or no label is left
     */
    public static int normalize(String[] pairs, int length) {
        if (!sortedAndNonEmpty(pairs, length)) {
            length = Labels.withoutEmptyValues(pairs, length);
            Labels.sortPairs(pairs, length);
            if (length == 0) {
                throw new IllegalArgumentException("a series needs at least one label with a non-empty value");
            }
        }
        return length;
    }

    /**
     * The series with the labels {@code pairs[offset, offset + length)} ({@link #normalize}d,
     * {@code hash} from {@link Labels#hash}), created if new, or null if it would be new and the
     * tenant is at its series limit.
     */
    MemSeries series(String[] pairs, int offset, int length, long hash) {
        MemSeries series = table.get(pairs, offset, length, hash);
        if (series != null) {
            return series;
        }
        if (table.size() >= config.maxSeries()) {
            return null;
        }
        series = new MemSeries(refs.nextRef(), Arrays.copyOfRange(pairs, offset, offset + length), hash);
        table.add(series);
        refs.add(series);
        index.add(series.ref, series.pairs);
        counters.add(SERIES, 1);
        return series;
    }

    private static boolean sortedAndNonEmpty(String[] pairs, int length) {
        if (length == 0 || pairs[1].isEmpty()) {
            return false;
        }
        for (int i = 2; i < length; i += 2) {
            if (pairs[i - 2].compareTo(pairs[i]) >= 0 || pairs[i + 1].isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** The series {@link #series} will most likely find for {@code hash}, or null; for {@link PipelinedAppender}'s cache warming. */
    MemSeries likelySeries(long hash) {
        return table.probe(hash);
    }

    /** Appends to a series by label set, interning its strings: for tests and callers off the replay path. */
    public void append(Labels labels, long t, double v) {
        append(refOf(labels), t, v);
    }

    /** The reference of the series {@code labels}, created if new (see {@link #seriesRef}). */
    public int refOf(Labels labels) {
        String[] pairs = new String[labels.size() * 2];
        for (int i = 0; i < labels.size(); i++) {
            pairs[2 * i] = intern(labels.name(i));
            pairs[2 * i + 1] = intern(labels.value(i));
        }
        return seriesRef(pairs, pairs.length);
    }

    public void append(int ref, long t, double v) {
        append(byRef(ref), t, v);
    }

    /** Appends to {@code s}, or discards if null (the series limit kept it out). */
    void append(MemSeries s, long t, double v) {
        if (!accepts(s, t)) {
            return;
        }
        long bits = Double.doubleToRawLongBits(v);
        if (t > s.maxTime) {
            XorChunk open = s.openXor;
            if (open == null || !open.append(t, v)) {
                XorChunk fresh = new XorChunk();
                fresh.append(t, v);
                cut(s, s.chunks, fresh);
            }
            s.lastValueBits = bits;
            s.lastHistogram = null;
            appended(s, t);
        } else if (t == s.maxTime) {
            if (s.lastHistogram != null || s.lastValueBits != bits) {
                discard(DiscardReason.DUPLICATE_SAMPLE_FOR_TIMESTAMP);
            }
        } else if (outOfOrderWindowMillis > 0) {
            appendOutOfOrder(s, t, v);
        } else {
            discard(DiscardReason.OUT_OF_ORDER);
        }
    }

    public void appendHistogram(int ref, long t, Histogram h) {
        appendHistogram(byRef(ref), t, h);
    }

    /** Appends to {@code s}, or discards if null (the series limit kept it out). */
    void appendHistogram(MemSeries s, long t, Histogram h) {
        if (!accepts(s, t)) {
            return;
        }
        if (t > s.maxTime) {
            Chunk[] chunks = s.chunks;
            Chunk open = chunks.length == 0 ? null : chunks[chunks.length - 1];
            if (!(open instanceof HistogramChunk hc)) {
                HistogramChunk fresh = new HistogramChunk();
                fresh.append(t, h);
                cut(s, chunks, fresh);
            } else if (!hc.append(t, h)) {
                cut(s, chunks, hc.successor(t, h));
            }
            s.lastHistogram = h;
            appended(s, t);
        } else if (t == s.maxTime) {
            if (!h.equals(s.lastHistogram)) {
                discard(DiscardReason.DUPLICATE_SAMPLE_FOR_TIMESTAMP);
            }
        } else {
            boolean tooOld = outOfOrderWindowMillis > 0 && t < maxTime - outOfOrderWindowMillis;
            discard(tooOld ? DiscardReason.TOO_OLD : DiscardReason.OUT_OF_ORDER);
        }
    }

    /** The series {@code ref}, or null for {@link #NO_SERIES}. */
    private MemSeries byRef(int ref) {
        if (ref == NO_SERIES) {
            return null;
        }
        MemSeries s = refs.get(ref);
        if (s == null) {
            throw new IllegalArgumentException("series reference " + ref + " is unknown: it was collected or never handed out");
        }
        return s;
    }

    /** Whether a sample at {@code t} may go to {@code s}; if not (null: the series limit), counts it as discarded. */
    private boolean accepts(MemSeries s, long t) {
        if (s == null) {
            discard(DiscardReason.PER_USER_SERIES_LIMIT);
            return false;
        }
        if (t < minValidTime) {
            discard(DiscardReason.TOO_OLD);
            return false;
        }
        return true;
    }

    private void appendOutOfOrder(MemSeries s, long t, double v) {
        if (t < maxTime - outOfOrderWindowMillis) {
            discard(DiscardReason.TOO_OLD);
            return;
        }
        Chunk[] chunks = s.outOfOrderChunks;
        OutOfOrderChunk open = chunks.length > 0 && chunks[chunks.length - 1] instanceof OutOfOrderChunk o ? o : null;
        if (open != null) {
            int at = open.indexOf(t);
            if (at >= 0) {
                if (Double.doubleToRawLongBits(open.valueAt(at)) != Double.doubleToRawLongBits(v)) {
                    discard(DiscardReason.DUPLICATE_SAMPLE_FOR_TIMESTAMP);
                }
                return;
            }
        }
        OutOfOrderChunk grown = (open == null ? OutOfOrderChunk.EMPTY : open).with(t, v);
        Chunk[] next;
        if (open == null) {
            next = Arrays.copyOf(chunks, chunks.length + 1);
            counters.add(CHUNKS, 1);
        } else {
            next = chunks.clone();
        }
        next[next.length - 1] = grown.numSamples() >= OutOfOrderChunk.CAPACITY ? grown.toXorChunk() : grown;
        s.outOfOrderChunks = next;
        counters.add(SAMPLES_APPENDED, 1);
    }

    private void cut(MemSeries s, Chunk[] chunks, Chunk fresh) {
        Chunk last = chunks.length > 0 ? chunks[chunks.length - 1] : null;
        if (last instanceof XorChunk full) {
            full.close();
        } else if (last instanceof HistogramChunk full) {
            full.close();
        }
        Chunk[] next = Arrays.copyOf(chunks, chunks.length + 1);
        next[chunks.length] = fresh;
        s.chunks = next;
        s.openXor = fresh instanceof XorChunk xor ? xor : null;
        counters.add(CHUNKS, 1);
    }

    private void appended(MemSeries s, long t) {
        s.maxTime = t;
        if (t > maxTime) {
            maxTime = t;
            minValidTime = t - retentionMillis;
        }
        counters.add(SAMPLES_APPENDED, 1);
    }

    /** Counts a sample the head did not keep. */
    public void discard(DiscardReason reason) {
        counters.add(DISCARDED + reason.ordinal(), 1);
    }

    /** Records a metric family's metadata; kept while the family is sent within the retention. */
    public void setMetadata(MetricMetadata m) {
        StoredMetadata old = metadata.get(m.family());
        if (old == null || !old.metadata().equals(m) || old.seenAt() != maxTime) {
            metadata.put(m.family(), new StoredMetadata(m, maxTime));
        }
    }

    /**
     * Drops the chunks whose samples are all older than the head's newest sample minus the
     * retention, then the series left without chunks (from the index too), and metadata not sent
     * within the retention. Returns the number of series collected.
     */
    public int gc() {
        long cutoff = minValidTime;
        if (cutoff == Long.MIN_VALUE) {
            return 0;
        }
        List<MemSeries> collected = new ArrayList<>();
        refs.forEach(s -> {
            int before = s.chunks.length + s.outOfOrderChunks.length;
            s.chunks = without(s.chunks, cutoff);
            s.outOfOrderChunks = without(s.outOfOrderChunks, cutoff);
            if (s.openXor != null && (s.chunks.length == 0 || s.chunks[s.chunks.length - 1] != s.openXor)) {
                s.openXor = null;
            }
            counters.add(CHUNKS, s.chunks.length + s.outOfOrderChunks.length - before);
            if (!s.hasChunks()) {
                collected.add(s);
            }
        });
        metadata.values().removeIf(m -> m.seenAt() < cutoff);
        if (collected.isEmpty()) {
            return 0;
        }
        int[] removed = new int[collected.size()];
        List<String[]> labels = new ArrayList<>(collected.size());
        for (int i = 0; i < removed.length; i++) {
            MemSeries s = collected.get(i);
            removed[i] = s.ref;
            labels.add(s.pairs);
            table.remove(s);
            refs.remove(s.ref);
        }
        index.remove(removed, labels);
        counters.add(SERIES, -removed.length);
        collectedSinceInternerRebuild += removed.length;
        if (collectedSinceInternerRebuild > table.size()) {
            rebuildInterner();
        }
        return removed.length;
    }

    private static Chunk[] without(Chunk[] chunks, long cutoff) {
        int keep = 0;
        for (Chunk c : chunks) {
            if (c.maxTime() >= cutoff) {
                keep++;
            }
        }
        if (keep == chunks.length) {
            return chunks;
        }
        Chunk[] kept = new Chunk[keep];
        int k = 0;
        for (Chunk c : chunks) {
            if (c.maxTime() >= cutoff) {
                kept[k++] = c;
            }
        }
        return kept;
    }

    /** Forgets the strings of collected series: as many series went as are left. */
    private void rebuildInterner() {
        List<String> live = new ArrayList<>();
        refs.forEach(s -> live.addAll(Arrays.asList(s.pairs)));
        interner.retainOnly(live);
        collectedSinceInternerRebuild = 0;
    }

    // ---- snapshots, on the appender thread ----

    /**
     * Freezes the head for a snapshot, cheaply: per series its labels, appender state, chunk arrays
     * (immutable) and the open chunk's extent; no sample is copied. The result can be written out
     * on another thread while appends go on (see {@link SeriesState}).
     */
    public TenantState capture() {
        List<SeriesState> series = new ArrayList<>(table.size());
        refs.forEach(s -> series.add(s.state()));
        List<StoredMetadata> families = new ArrayList<>(metadata.values());
        families.sort(Comparator.comparing(m -> m.metadata().family()));
        return new TenantState(tenant, maxTime, families, series);
    }

    /** Sets the head's newest sample time from a snapshot, before its series are restored. */
    public void restoreMaxTime(long t) {
        maxTime = t;
        minValidTime = t == Long.MIN_VALUE ? Long.MIN_VALUE : t - retentionMillis;
    }

    /** Restores a metric family's metadata from a snapshot. */
    public void restoreMetadata(MetricMetadata m, long seenAt) {
        metadata.put(m.family(), new StoredMetadata(m, seenAt));
    }

    /**
     * Adds a series from a snapshot with its chunks and appender state, as it was when captured;
     * its labels should be this head's strings ({@link #intern}). The series limit does not apply:
     * a snapshot holds what the head held.
     *
     * @throws IllegalArgumentException if the labels are not sorted, unique and non-empty, or the series exists
     */
    public void restore(SeriesState state) {
        String[] pairs = state.pairs();
        if (!sortedAndNonEmpty(pairs, pairs.length) || pairs.length % 2 != 0) {
            throw new IllegalArgumentException("restored series labels must be sorted name/value pairs with non-empty values: "
                    + Arrays.toString(pairs));
        }
        long hash = Labels.hash(pairs, pairs.length);
        if (table.get(pairs, pairs.length, hash) != null) {
            throw new IllegalArgumentException("series " + Arrays.toString(pairs) + " is restored twice");
        }
        MemSeries s = new MemSeries(refs.nextRef(), pairs, hash);
        s.chunks = state.chunks();
        s.outOfOrderChunks = state.outOfOrderChunks();
        s.maxTime = state.maxTime();
        s.lastValueBits = state.lastValueBits();
        s.lastHistogram = state.lastHistogram();
        s.openXor = s.chunks.length > 0 && s.chunks[s.chunks.length - 1] instanceof XorChunk xor ? xor : null;
        table.add(s);
        refs.add(s);
        index.add(s.ref, pairs);
        counters.add(SERIES, 1);
        counters.add(CHUNKS, s.chunks.length + s.outOfOrderChunks.length);
    }

    // ---- any thread ----

    public long seriesCount() {
        return counters.get(SERIES);
    }

    public long chunkCount() {
        return counters.get(CHUNKS);
    }

    public long samplesAppended() {
        return counters.get(SAMPLES_APPENDED);
    }

    public long discarded(DiscardReason reason) {
        return counters.get(DISCARDED + reason.ordinal());
    }

    /** Bytes of encoded samples in all chunks; walks every series, so costs a little per series. */
    public long chunkBytes() {
        long[] bytes = new long[1];
        refs.forEach(s -> {
            for (Chunk c : s.chunks) {
                bytes[0] += c.sizeBytes();
            }
            for (Chunk c : s.outOfOrderChunks) {
                bytes[0] += c.sizeBytes();
            }
        });
        return bytes[0];
    }

    /** All sizes and counters; walks every series for {@link #chunkBytes()}. */
    public HeadStats stats() {
        Map<DiscardReason, Long> discarded = new EnumMap<>(DiscardReason.class);
        for (DiscardReason r : DiscardReason.values()) {
            discarded.put(r, discarded(r));
        }
        return new HeadStats(seriesCount(), chunkCount(), chunkBytes(), samplesAppended(), discarded);
    }

    /** Metadata with the head time it was last sent at. */
    public record StoredMetadata(MetricMetadata metadata, long seenAt) {
    }
}
