package dev.runnel.ingester.record;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.runnel.ingester.chunk.HistogramChunk;
import dev.runnel.ingester.head.Appender;
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
 * in the head once per record. Each series' labels are checked, sorted and hashed here, and the
 * series with its samples goes to an {@link Appender}: applied on this thread, or on another
 * that finds the series and appends while this one reads on ({@code PipelinedAppender}). Nothing
 * is allocated per series or sample.
 *
 * <p>One decoder per consumer thread: it keeps its scratch arrays between records.
 */
public final class RecordDecoder {

    /** The only version byte this decoder reads. */
    public static final byte VERSION = 1;

    private static final int REQUEST_SYMBOLS = 4 << 3 | WireReader.LENGTH_DELIMITED;
    private static final int REQUEST_TIMESERIES = 5 << 3 | WireReader.LENGTH_DELIMITED;
    private static final String[] METRIC_TYPES = {
        "unknown", "counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset"};

    private int[] symbolOffset = new int[256];
    private int[] symbolLength = new int[256];
    private String[] symbols = new String[256];
    /** The {@link String#hashCode()} of each symbol interned so far. */
    private int[] symbolHash = new int[256];
    private int symbolCount;
    private int[] labelRefs = new int[64];
    private String[] pairs = new String[64];
    /** The label names (symbol references) of a series of this record found sorted and unique; see {@link #normalizedLabels}. */
    private int[] sortedNames = new int[32];
    private int sortedNameCount;
    private final Appender direct = Appender.direct();

    /** Decodes the whole array as one record value, appending on this thread. */
    public void decode(byte[] value, TenantHead head) throws UndecodableRecordException {
        decode(value, 0, value.length, head, direct);
    }

    /** Decodes {@code value[offset, offset + length)} as one record value, appending on this thread. */
    public void decode(byte[] value, int offset, int length, TenantHead head) throws UndecodableRecordException {
        decode(value, offset, length, head, direct);
    }

    /**
     * Resolves the series of the record in {@code value[offset, offset + length)} in {@code head}
     * (creating new ones) and hands their samples, histograms and metadata to {@code appender}.
     *
     * @throws UndecodableRecordException for an unknown version or a malformed body; samples of
     *                                    series before the fault stay handed over
     */
    public void decode(byte[] value, int offset, int length, TenantHead head, Appender appender) throws UndecodableRecordException {
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
        while (in.hasMore()) {
            int tag = in.readTag();
            if (tag == REQUEST_TIMESERIES) {
                int seriesEnd = in.readLengthDelimitedEnd();
                readSeries(in, value, in.pos, seriesEnd, head, appender);
                in.reset(seriesEnd, end);
            } else {
                in.skip(tag);
            }
        }
    }

    private void readSymbols(WireReader in, int start, int end) throws UndecodableRecordException {
        Arrays.fill(symbols, 0, symbolCount, null);
        symbolCount = 0;
        sortedNameCount = 0;
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
            symbolHash = Arrays.copyOf(symbolHash, symbolCount * 2);
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
            symbolHash[ref] = s.hashCode();
        }
        return s;
    }

    /**
     * Reads the series in {@code value[start, end)} in two passes: its labels (resolved, checked
     * and hashed) and metadata first, then its samples and histograms, so that field order within
     * the series does not matter.
     */
    private void readSeries(WireReader in, byte[] value, int start, int end, TenantHead head, Appender appender)
            throws UndecodableRecordException {
        in.reset(start, end);
        int refCount = 0;
        boolean hasSamples = false;
        int metadataStart = -1;
        int metadataEnd = -1;
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
                    metadataEnd = in.readLengthDelimitedEnd();
                    metadataStart = in.pos;
                    in.pos = metadataEnd;
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
        if (pairs.length < refCount) {
            pairs = new String[labelRefs.length];
        }
        // The labels' strings, and what resolvedLabels needs to know of them, in one pass.
        int[] refs = labelRefs;
        boolean valuesNonEmpty = true;
        boolean namesSorted = refCount == sortedNameCount * 2;
        long hash = Labels.HASH_START;
        for (int i = 0; i < refCount; i += 2) {
            int name = refs[i];
            int val = refs[i + 1];
            pairs[i] = symbol(value, name, head);
            pairs[i + 1] = symbol(value, val, head);
            valuesNonEmpty &= symbolLength[val] > 0;
            namesSorted = namesSorted && sortedNames[i >> 1] == name;
            hash = Labels.hashNext(hash, symbolHash[name], symbolHash[val]);
        }
        if (metadataStart >= 0) {
            in.reset(metadataStart, metadataEnd);
            readMetadata(in, value, pairs, refCount, head, appender);
        }
        if (!hasSamples) {
            return;
        }
        if (valuesNonEmpty && namesSorted) {
            appender.series(head, pairs, refCount, Labels.hashEnd(hash));
        } else {
            normalizedLabels(refCount, valuesNonEmpty, head, appender);
        }
        in.reset(start, end);
        while (in.hasMore()) {
            int tag = in.readTag();
            switch (tag) {
                case 2 << 3 | WireReader.LENGTH_DELIMITED -> readSample(in, in.readLengthDelimitedEnd(), appender);
                case 3 << 3 | WireReader.LENGTH_DELIMITED -> readHistogram(in, value, in.readLengthDelimitedEnd(), appender);
                default -> in.skip(tag);
            }
        }
    }

    /**
     * Hands the series whose labels are in {@code labelRefs} and {@code pairs} to the appender
     * after {@link TenantHead#normalize}. Series of a record mostly share their label names, and
     * few have empty values: when every value is non-empty and the names are those of a series
     * found sorted before in this record, {@link #readSeries} skips this, since the labels are
     * as normalizing would leave them, and takes the hash from the symbols' hash codes.
     */
    private void normalizedLabels(int refCount, boolean valuesNonEmpty, TenantHead head, Appender appender)
            throws UndecodableRecordException {
        int length;
        try {
            length = TenantHead.normalize(pairs, refCount);
        } catch (IllegalArgumentException e) {
            throw WireReader.malformed("a series' labels are invalid: " + e.getMessage());
        }
        if (valuesNonEmpty && inRecordOrder(refCount)) {
            rememberSortedNames(refCount);
        }
        appender.series(head, pairs, length, Labels.hash(pairs, length));
    }

    /** Whether {@link TenantHead#normalize} left the labels as the record has them. */
    private boolean inRecordOrder(int refCount) {
        for (int i = 0; i < refCount; i++) {
            if (pairs[i] != symbols[labelRefs[i]]) {
                return false;
            }
        }
        return true;
    }

    private void rememberSortedNames(int refCount) {
        if (sortedNames.length < refCount / 2) {
            sortedNames = new int[refCount];
        }
        for (int i = 0; i < refCount; i += 2) {
            sortedNames[i >> 1] = labelRefs[i];
        }
        sortedNameCount = refCount / 2;
    }

    private int addLabelRef(int count, int ref) {
        if (count == labelRefs.length) {
            labelRefs = Arrays.copyOf(labelRefs, count * 2);
        }
        labelRefs[count] = ref;
        return count + 1;
    }

    private static void readSample(WireReader in, int end, Appender appender) throws UndecodableRecordException {
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
        appender.append(timestamp, Double.longBitsToDouble(bits));
    }

    private static void readHistogram(WireReader in, byte[] value, int end, Appender appender) throws UndecodableRecordException {
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
        appender.appendHistogram(h.getTimestamp(), h);
    }

    private void readMetadata(WireReader in, byte[] value, String[] pairs, int refCount, TenantHead head, Appender appender) throws UndecodableRecordException {
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
        appender.setMetadata(head, new MetricMetadata(family, typeName, symbol(value, helpRef, head), symbol(value, unitRef, head)));
    }
}
