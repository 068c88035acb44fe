package dev.runnel.ingester.head;

import dev.runnel.ingester.chunk.XorChunk;
import dev.runnel.ingester.query.MetricMetadata;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies appends on a thread of its own, so that replay uses two cores: the caller (the
 * partition consumer) decodes records, interns their strings and hashes each series' labels;
 * this thread finds or creates the series and appends the samples to its chunks. These are the
 * two halves of the work: the caller's is computation on the record's bytes, this thread's is
 * dominated by cache misses on the series table, the series and their chunks. Appends are applied
 * in the order given, so each series' samples stay in order.
 *
 * <p>They travel in batches through a ring of {@value #BATCHES} preallocated batches: the caller
 * fills one while this thread applies the others, so nothing is allocated per sample. Two
 * semaphores count the filled and the free batches; their release and acquire order the caller's
 * writes (interned strings, batch contents) before this thread's reads, and this thread's writes
 * before the caller's {@link #awaitApplied} returns.
 *
 * <h2>Who touches a head when</h2>
 * The caller interns strings ({@link TenantHead#intern}); this thread creates series (series
 * table, references, postings) and appends (chunks, series' appender state, the head's newest
 * sample time, metadata). What needs the whole head still, {@link TenantHead#gc()},
 * {@link TenantHead#capture()}, {@link TenantHead#restore}, runs on the caller after
 * {@link #awaitApplied}, when nothing is in flight.
 *
 * <p>Before applying a batch this thread loads the series it names, their labels, open chunks
 * and the chunks' current words in passes over {@value #WARM} entries at a time, one pass per
 * level of that chain, so that the cache misses of different series overlap instead of coming
 * one after another.
 */
public final class PipelinedAppender implements Appender, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PipelinedAppender.class);

    static final int BATCHES = 4;
    static final int BATCH_SIZE = 512;
    private static final int WARM = 256;

    private static final byte SERIES = 0;
    private static final byte SAMPLE = 1;
    private static final byte HISTOGRAM = 2;
    private static final byte METADATA = 3;

    private final Batch[] ring = new Batch[BATCHES];
    private final Semaphore filled = new Semaphore(0);
    private final Semaphore free = new Semaphore(BATCHES);
    private final Thread thread;
    // Caller's state; the filling batch's counts are stored in it when it is handed over, so
    // that the caller's writes per entry stay off the batches the appender thread reads.
    private int fillIndex;
    private Batch filling;
    private int fillSize;
    private int fillLabels;
    /** The first append that failed since the last {@link #awaitApplied}; written by the appender thread. */
    private RuntimeException failure;

    /** Starts the appender thread, named {@code name}. */
    public PipelinedAppender(String name) {
        for (int i = 0; i < BATCHES; i++) {
            ring[i] = new Batch();
        }
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void series(TenantHead head, String[] pairs, int length, long hash) {
        Batch b = batch();
        int k = fillSize++;
        b.kinds[k] = SERIES;
        b.heads[k] = head;
        b.longs[k] = hash;
        b.labelsAt[k] = addLabels(b, pairs, length);
        b.lengths[k] = length;
        published(b);
    }

    @Override
    public void append(long t, double v) {
        Batch b = batch();
        int k = fillSize++;
        b.kinds[k] = SAMPLE;
        b.longs[k] = t;
        b.values[k] = Double.doubleToRawLongBits(v);
        published(b);
    }

    @Override
    public void appendHistogram(long t, Histogram h) {
        Batch b = batch();
        int k = fillSize++;
        b.kinds[k] = HISTOGRAM;
        b.longs[k] = t;
        b.items[k] = h;
        published(b);
    }

    @Override
    public void setMetadata(TenantHead head, MetricMetadata m) {
        Batch b = batch();
        int k = fillSize++;
        b.kinds[k] = METADATA;
        b.heads[k] = head;
        b.items[k] = m;
        published(b);
    }

    /**
     * Waits until everything handed over so far is applied. The heads are then the caller's
     * alone until it hands over more.
     *
     * @throws IllegalStateException if an append failed (a bug, not bad data: the decoder checks
     *                               its input); the others were applied
     */
    public void awaitApplied() {
        if (filling != null) {
            handOver();
        }
        free.acquireUninterruptibly(BATCHES);
        free.release(BATCHES);
        RuntimeException failed = failure;
        if (failed != null) {
            failure = null;
            throw new IllegalStateException("an append failed on " + thread.getName() + ": " + failed, failed);
        }
    }

    /** Stops the appender thread; what was not yet applied ({@link #awaitApplied}) may be lost. */
    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- caller ----

    private Batch batch() {
        Batch b = filling;
        if (b == null) {
            free.acquireUninterruptibly();
            b = ring[fillIndex];
            fillIndex = (fillIndex + 1) % BATCHES;
            filling = b;
        }
        return b;
    }

    /** Hands the batch over once full. */
    private void published(Batch b) {
        if (fillSize == BATCH_SIZE) {
            handOver();
        }
    }

    private void handOver() {
        filling.size = fillSize;
        filling.labelCount = fillLabels;
        filling = null;
        fillSize = 0;
        fillLabels = 0;
        filled.release();
    }

    /** Copies a series' labels into the batch; returns where they start. */
    private int addLabels(Batch b, String[] pairs, int length) {
        int at = fillLabels;
        if (at + length > b.labels.length) {
            b.labels = Arrays.copyOf(b.labels, Math.max(b.labels.length * 2, at + length));
        }
        System.arraycopy(pairs, 0, b.labels, at, length);
        fillLabels = at + length;
        return at;
    }

    // ---- appender thread ----

    private void run() {
        new Applier().run();
    }

    /**
     * The appender thread's state. Nothing here is written by the caller, and what this thread
     * writes for every entry is kept off the caller's cache lines: the current series in local
     * variables, the warming arrays padded at both ends (objects the caller writes may lie next
     * to them in the heap).
     */
    private final class Applier {
        /** Elements on either side of the warming arrays' used part: 64 bytes or more. */
        private static final int PAD = 16;

        private final MemSeries[] warmSeries = new MemSeries[PAD + WARM + PAD];
        private final XorChunk[] warmChunks = new XorChunk[PAD + WARM + PAD];
        private int applyIndex;

        private void run() {
            TenantHead head = null;
            MemSeries series = null;
            try {
                while (true) {
                    filled.acquire();
                    Batch b = ring[applyIndex];
                    applyIndex = (applyIndex + 1) % BATCHES;
                    long warmed = 0;
                    for (int from = 0; from < b.size; from += WARM) {
                        int to = Math.min(b.size, from + WARM);
                        warmed += warm(b, from, to);
                        for (int k = from; k < to; k++) {
                            try {
                                switch (b.kinds[k]) {
                                    case SERIES -> {
                                        head = b.heads[k];
                                        series = null; // if the lookup fails, the series' samples fail too
                                        series = head.series(b.labels, b.labelsAt[k], b.lengths[k], b.longs[k]);
                                    }
                                    case SAMPLE -> head.append(series, b.longs[k], Double.longBitsToDouble(b.values[k]));
                                    case HISTOGRAM -> head.appendHistogram(series, b.longs[k], (Histogram) b.items[k]);
                                    default -> b.heads[k].setMetadata((MetricMetadata) b.items[k]);
                                }
                            } catch (RuntimeException e) {
                                failed(e);
                            }
                        }
                    }
                    b.warmed = warmed;
                    b.clear();
                    free.release();
                }
            } catch (InterruptedException e) {
                // closed
            }
        }

        /**
         * Loads the series named in {@code [from, to)} and what appending to them touches; see the
         * class comment. Returns a sum of what it loaded, so that the loads are not optimized away.
         */
        private long warm(Batch b, int from, int to) {
            MemSeries[] s = warmSeries;
            XorChunk[] chunks = warmChunks;
            int end = PAD + to - from;
            for (int k = PAD; k < end; k++) {
                int e = from + k - PAD;
                s[k] = b.kinds[e] == SERIES ? b.heads[e].likelySeries(b.longs[e]) : null;
            }
            long sum = 0;
            for (int k = PAD; k < end; k++) {
                MemSeries series = s[k];
                chunks[k] = series == null ? null : series.openXor;
            }
            for (int k = PAD; k < end; k++) {
                MemSeries series = s[k];
                XorChunk open = chunks[k];
                // Both ends of the labels array: 20 references with the header span two cache lines.
                if (series != null && series.pairs[0] != null && series.pairs[series.pairs.length - 1] != null) {
                    sum++;
                }
                sum += open == null ? 0 : open.numSamples();
            }
            for (int k = PAD; k < end; k++) {
                XorChunk open = chunks[k];
                sum += open == null ? 0 : open.currentWord();
                s[k] = null;
                chunks[k] = null;
            }
            return sum;
        }
    }

    private void failed(RuntimeException e) {
        if (failure == null) {
            failure = e;
        } else {
            log.debug("another append failed on {}", thread.getName(), e);
        }
    }

    /** Entries in order; what each array holds depends on the entry's kind. */
    private static final class Batch {
        final byte[] kinds = new byte[BATCH_SIZE];
        /** The head of a series or metadata entry. */
        final TenantHead[] heads = new TenantHead[BATCH_SIZE];
        /** A series' label hash; a sample's or histogram's timestamp. */
        final long[] longs = new long[BATCH_SIZE];
        /** A sample's value bits. */
        final long[] values = new long[BATCH_SIZE];
        /** Where a series' labels start in {@link #labels}. */
        final int[] labelsAt = new int[BATCH_SIZE];
        /** How many strings a series' labels are. */
        final int[] lengths = new int[BATCH_SIZE];
        /** A histogram or metadata. */
        final Object[] items = new Object[BATCH_SIZE];
        /** The series' labels, one after another. */
        String[] labels = new String[BATCH_SIZE * 16];
        int labelCount;
        int size;
        /** What warming the batch loaded, kept so that the loads count. */
        long warmed;

        void clear() {
            Arrays.fill(heads, 0, size, null);
            Arrays.fill(items, 0, size, null);
            Arrays.fill(labels, 0, labelCount, null);
            labelCount = 0;
            size = 0;
        }
    }
}
