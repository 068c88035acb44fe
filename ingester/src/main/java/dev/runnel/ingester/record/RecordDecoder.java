package dev.runnel.ingester.record;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.runnel.ingester.chunk.HistogramChunk;
import dev.runnel.ingester.head.TenantHead;
import dev.runnel.ingester.labels.Labels;
import dev.runnel.ingester.query.MetricMetadata;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import java.util.Arrays;

/**
 * Appends a log record (distributor/RECORDS.md) to a tenant's head, reading the protobuf
 * straight from the record's bytes:
 *
 * <pre>
 * +---------+-----------------------------------------------+
 * | version | io.prometheus.write.v2.Request                |
 * | 1 byte  | symbols (field 4), timeseries (field 5)       |
 * +---------+-----------------------------------------------+
 * </pre>
 *
 * Symbols stay byte ranges of the record until a series refers to them; then each is interned
 * in the head once per record. A known series is found from its interned labels without
 * allocating, and its samples go straight into its open chunk. Each series is read twice:
 * labels first, then samples, so field order within a series does not matter.
 *
 * <p>One decoder per consumer thread: it keeps its scratch arrays between records.
 */
public final class RecordDecoder {

    /** The only version byte this decoder reads. */
    public static final byte VERSION = 1;

    /** Series looked up together; see {@link #readBatch}. */
    private static final int BATCH = 32;

    private static final int REQUEST_SYMBOLS = 4 << 3 | WireReader.LENGTH_DELIMITED;
    private static final int REQUEST_TIMESERIES = 5 << 3 | WireReader.LENGTH_DELIMITED;
    private static final String[] METRIC_TYPES = {
        "unknown", "counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset"};

    private int[] symbolOffset = new int[256];
    private int[] symbolLength = new int[256];
    private String[] symbols = new String[256];
    private int symbolCount;
    private int[] labelRefs = new int[64];
    private final int[] batchStart = new int[BATCH];
    private final int[] batchEnd = new int[BATCH];
    private final long[] batchHash = new long[BATCH];
    private final String[][] batchPairs = new String[BATCH][64];
    private final int[] batchLabelCount = new int[BATCH];
    private final int[] batchMetadataStart = new int[BATCH];
    private final int[] batchMetadataEnd = new int[BATCH];

    /** Decodes the whole array as one record value. */
    public void decode(byte[] value, TenantHead head) throws UndecodableRecordException {
        decode(value, 0, value.length, head);
    }

    /**
     * Appends the samples, histograms and metadata of the record in {@code value[offset, offset + length)} to {@code head}.
     *
     * @throws UndecodableRecordException for an unknown version or a malformed body; samples of
     *                                    series before the fault stay appended
     */
    public void decode(byte[] value, int offset, int length, TenantHead head) throws UndecodableRecordException {
        if (length == 0) {
            throw WireReader.malformed("the record is empty: it has no version byte");
        }
        if (value[offset] != VERSION) {
            throw new UndecodableRecordException(UndecodableRecordException.Reason.UNKNOWN_VERSION,
                    "record version " + (value[offset] & 0xff) + " is unknown: this ingester reads version " + VERSION);
        }
        WireReader in = new WireReader(value);
        int start = offset + 1;
        int end = offset + length;
        readSymbols(in, start, end);
        in.reset(start, end);
        int batched = 0;
        while (in.hasMore()) {
            int tag = in.readTag();
            if (tag == REQUEST_TIMESERIES) {
                int seriesEnd = in.readLengthDelimitedEnd();
                batchStart[batched] = in.pos;
                batchEnd[batched] = seriesEnd;
                in.pos = seriesEnd;
                if (++batched == BATCH) {
                    readBatch(in, value, batched, head);
                    batched = 0;
                    in.reset(seriesEnd, end);
                }
            } else {
                in.skip(tag);
            }
        }
        readBatch(in, value, batched, head);
    }

    /**
     * Reads a batch of series in two steps: first each one's labels, so the head can load the
     * batch's series and open chunks into the CPU cache together ({@link TenantHead#warm}), their
     * cache misses overlapping instead of coming one after another; then their samples.
     */
    private void readBatch(WireReader in, byte[] value, int count, TenantHead head) throws UndecodableRecordException {
        for (int k = 0; k < count; k++) {
            readLabels(in, value, k, head);
        }
        head.warm(batchHash, count);
        for (int k = 0; k < count; k++) {
            appendSeries(in, value, k, head);
        }
    }

    private void readSymbols(WireReader in, int start, int end) throws UndecodableRecordException {
        Arrays.fill(symbols, 0, symbolCount, null);
        symbolCount = 0;
        in.reset(start, end);
        while (in.hasMore()) {
            int tag = in.readTag();
            if (tag == REQUEST_SYMBOLS) {
                int symbolEnd = in.readLengthDelimitedEnd();
                addSymbol(in.pos, symbolEnd - in.pos);
                in.pos = symbolEnd;
            } else {
                in.skip(tag);
            }
        }
    }

    private void addSymbol(int offset, int length) {
        if (symbolCount == symbolOffset.length) {
            symbolOffset = Arrays.copyOf(symbolOffset, symbolCount * 2);
            symbolLength = Arrays.copyOf(symbolLength, symbolCount * 2);
            symbols = Arrays.copyOf(symbols, symbolCount * 2);
        }
        symbolOffset[symbolCount] = offset;
        symbolLength[symbolCount] = length;
        symbolCount++;
    }

    private String symbol(byte[] value, int ref, TenantHead head) throws UndecodableRecordException {
        if (ref < 0 || ref >= symbolCount) {
            throw WireReader.malformed("symbol reference " + Integer.toUnsignedString(ref)
                    + " is out of range: the record has " + symbolCount + " symbols");
        }
        String s = symbols[ref];
        if (s == null) {
            s = head.intern(value, symbolOffset[ref], symbolLength[ref]);
            symbols[ref] = s;
        }
        return s;
    }

    /**
     * Reads series {@code k} of the batch but for its samples: its labels (resolved and hashed),
     * whether it has samples (the sign of its label count), where its metadata is.
     */
    private void readLabels(WireReader in, byte[] value, int k, TenantHead head) throws UndecodableRecordException {
        in.reset(batchStart[k], batchEnd[k]);
        int refCount = 0;
        boolean hasSamples = false;
        batchMetadataStart[k] = -1;
        while (in.hasMore()) {
            int tag = in.readTag();
            switch (tag) {
                case 1 << 3 | WireReader.VARINT -> refCount = addLabelRef(refCount, in.readVarint32());
                case 1 << 3 | WireReader.LENGTH_DELIMITED -> {
                    int refsEnd = in.readLengthDelimitedEnd();
                    while (in.pos < refsEnd) {
                        refCount = addLabelRef(refCount, in.readVarint32());
                    }
                }
                case 2 << 3 | WireReader.LENGTH_DELIMITED, 3 << 3 | WireReader.LENGTH_DELIMITED -> {
                    hasSamples = true;
                    in.pos = in.readLengthDelimitedEnd();
                }
                case 5 << 3 | WireReader.LENGTH_DELIMITED -> {
                    batchMetadataEnd[k] = in.readLengthDelimitedEnd();
                    batchMetadataStart[k] = in.pos;
                    in.pos = batchMetadataEnd[k];
                }
                default -> in.skip(tag);
            }
        }
        if (refCount % 2 != 0) {
            throw WireReader.malformed("a series' labels_refs has an odd number of entries, " + refCount);
        }
        if (refCount == 0) {
            throw WireReader.malformed("a series has no labels");
        }
        String[] pairs = batchPairs[k];
        if (pairs.length < refCount) {
            pairs = new String[labelRefs.length];
            batchPairs[k] = pairs;
        }
        for (int i = 0; i < refCount; i++) {
            pairs[i] = symbol(value, labelRefs[i], head);
        }
        batchLabelCount[k] = hasSamples ? refCount : -refCount;
        batchHash[k] = Labels.hash(pairs, refCount);
    }

    /** Records series {@code k}'s metadata and appends its samples and histograms. */
    private void appendSeries(WireReader in, byte[] value, int k, TenantHead head) throws UndecodableRecordException {
        String[] pairs = batchPairs[k];
        int refCount = Math.abs(batchLabelCount[k]);
        if (batchMetadataStart[k] >= 0) {
            in.reset(batchMetadataStart[k], batchMetadataEnd[k]);
            readMetadata(in, value, pairs, refCount, head);
        }
        if (batchLabelCount[k] < 0) {
            return;
        }
        int ref;
        try {
            ref = head.seriesRef(pairs, refCount);
        } catch (IllegalArgumentException e) {
            throw WireReader.malformed("a series' labels are invalid: " + e.getMessage());
        }
        in.reset(batchStart[k], batchEnd[k]);
        while (in.hasMore()) {
            int tag = in.readTag();
            switch (tag) {
                case 2 << 3 | WireReader.LENGTH_DELIMITED -> readSample(in, in.readLengthDelimitedEnd(), ref, head);
                case 3 << 3 | WireReader.LENGTH_DELIMITED -> readHistogram(in, value, in.readLengthDelimitedEnd(), ref, head);
                default -> in.skip(tag);
            }
        }
    }

    private int addLabelRef(int count, int ref) {
        if (count == labelRefs.length) {
            labelRefs = Arrays.copyOf(labelRefs, count * 2);
        }
        labelRefs[count] = ref;
        return count + 1;
    }

    private static void readSample(WireReader in, int end, int ref, TenantHead head) throws UndecodableRecordException {
        int outerLimit = in.limit;
        in.limit = end;
        long bits = 0;
        long timestamp = 0;
        while (in.hasMore()) {
            int tag = in.readTag();
            switch (tag) {
                case 1 << 3 | WireReader.FIXED64 -> bits = in.readFixed64();
                case 2 << 3 | WireReader.VARINT -> timestamp = in.readVarint64();
                default -> in.skip(tag);
            }
        }
        in.limit = outerLimit;
        head.append(ref, timestamp, Double.longBitsToDouble(bits));
    }

    private static void readHistogram(WireReader in, byte[] value, int end, int ref, TenantHead head) throws UndecodableRecordException {
        Histogram h;
        try {
            h = Histogram.parser().parseFrom(value, in.pos, end - in.pos);
        } catch (InvalidProtocolBufferException e) {
            throw WireReader.malformed("a histogram is malformed: " + e.getMessage());
        }
        try {
            HistogramChunk.check(h);
        } catch (IllegalArgumentException e) {
            throw WireReader.malformed(e.getMessage());
        }
        in.pos = end;
        head.appendHistogram(ref, h.getTimestamp(), h);
    }

    private void readMetadata(WireReader in, byte[] value, String[] pairs, int refCount, TenantHead head) throws UndecodableRecordException {
        int type = 0;
        int helpRef = 0;
        int unitRef = 0;
        while (in.hasMore()) {
            int tag = in.readTag();
            switch (tag) {
                case 1 << 3 | WireReader.VARINT -> type = in.readVarint32();
                case 3 << 3 | WireReader.VARINT -> helpRef = in.readVarint32();
                case 4 << 3 | WireReader.VARINT -> unitRef = in.readVarint32();
                default -> in.skip(tag);
            }
        }
        if (type == 0 && helpRef == 0 && unitRef == 0) {
            return;
        }
        String family = null;
        for (int i = 0; i < refCount; i += 2) {
            if (pairs[i].equals("__name__")) {
                family = pairs[i + 1];
            }
        }
        if (family == null) {
            throw WireReader.malformed("a series with metadata has no __name__ label");
        }
        String typeName = type >= 0 && type < METRIC_TYPES.length ? METRIC_TYPES[type] : "unknown";
        head.setMetadata(new MetricMetadata(family, typeName, symbol(value, helpRef, head), symbol(value, unitRef, head)));
    }
}
