package dev.runnel.distributor.record;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.runnel.distributor.write.Exemplar;
import dev.runnel.distributor.write.MetricMetadata;
import dev.runnel.distributor.write.WriteBatch;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes the series one partition receives from one request into log records, as
 * {@code distributor/RECORDS.md} specifies: a version byte and a remote write 2.0 Request
 * whose symbols are the record's own. A record grows series by series and is closed before
 * the series that would take it past the maximum size, which starts the next record.
 *
 * <p>Encoding writes straight from the batch's arrays: each series' size is computed first,
 * then its fields are written into the record's buffer. Dropped series and samples are left
 * out, and so is a series left with nothing to write. Not thread-safe; one per thread.
 */
public final class IngestRecordEncoder {

    /** The first byte of every record: the version of the record format. */
    public static final byte FORMAT_VERSION = 1;

    private static final byte[] NAME = "__name__".getBytes(StandardCharsets.US_ASCII);
    private static final int SERIES_FIELD_TAG = tag(5, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final byte SAMPLE_FIELD_TAG = (byte) tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final byte SAMPLE_VALUE_TAG = (byte) tag(1, WireFormat.WIRETYPE_FIXED64);
    private static final byte SAMPLE_TIMESTAMP_TAG = (byte) tag(2, WireFormat.WIRETYPE_VARINT);

    private static final int[][] NO_REFS = new int[0][];

    private final int maxRecordBytes;
    private final SymbolTable symbols = new SymbolTable(1);
    private byte[] series = new byte[4096];
    private int seriesBytes;
    /** Where the series being written must end: its computed size. */
    private int seriesEnd;
    private int seriesInRecord;
    private int[] refs = new int[64];

    public IngestRecordEncoder(int maxRecordBytes) {
        if (maxRecordBytes < 64) {
            throw new IllegalArgumentException("maxRecordBytes must be at least 64: " + maxRecordBytes);
        }
        this.maxRecordBytes = maxRecordBytes;
    }

    /**
     * The records holding {@code seriesIndexes[0..count)} of the batch and the metric metadata.
     *
     * @throws RecordTooLargeException if one series alone exceeds the maximum record size
     */
    public List<byte[]> encode(WriteBatch batch, int[] seriesIndexes, int count, List<MetricMetadata> metadata)
            throws RecordTooLargeException {
        List<byte[]> records = new ArrayList<>(1);
        startRecord();
        for (int i = 0; i < count; i++) {
            if (!batch.isDropped(seriesIndexes[i])) {
                add(records, batch, seriesIndexes[i], null);
            }
        }
        for (MetricMetadata m : metadata) {
            add(records, batch, 0, m);
        }
        if (seriesInRecord > 0) {
            records.add(finishRecord());
        }
        return records;
    }

    /**
     * Adds series {@code s} of the batch, or metadata {@code m} when not null, to the record,
     * starting the next record when it does not fit. (Not lambdas: this runs once per series.)
     */
    private void add(List<byte[]> records, WriteBatch batch, int s, MetricMetadata m) throws RecordTooLargeException {
        int symbolsBefore = symbols.size();
        int bytesBefore = seriesBytes;
        if (!write(batch, s, m)) {
            return;
        }
        if (recordBytes() <= maxRecordBytes) {
            seriesInRecord++;
            return;
        }
        symbols.truncate(symbolsBefore);
        seriesBytes = bytesBefore;
        if (seriesInRecord == 0) {
            throw tooLarge(batch, s, m);
        }
        records.add(finishRecord());
        startRecord();
        write(batch, s, m);
        if (recordBytes() > maxRecordBytes) {
            throw tooLarge(batch, s, m);
        }
        seriesInRecord++;
    }

    /** Writes series {@code s}, or metadata {@code m} when not null, into the record; false if there was nothing to write. */
    private boolean write(WriteBatch batch, int s, MetricMetadata m) {
        return m == null ? writeSeries(batch, s) : writeMetadata(m);
    }

    private RecordTooLargeException tooLarge(WriteBatch batch, int s, MetricMetadata m) {
        return tooLarge(m == null ? batch.describe(s) : "metadata of " + m.family());
    }

    private RecordTooLargeException tooLarge(String what) {
        return new RecordTooLargeException("the series " + what + " does not fit in a record of at most "
                + maxRecordBytes + " bytes");
    }

    private int recordBytes() {
        return 1 + symbols.encodedBytes() + seriesBytes;
    }

    private void startRecord() {
        symbols.clear();
        seriesBytes = 0;
        seriesInRecord = 0;
    }

    /** The record: the symbol table's buffer (its first byte left for the version), then the series. */
    private byte[] finishRecord() {
        int symbolsEnd = 1 + symbols.encodedBytes();
        byte[] record = Arrays.copyOf(symbols.buffer(), recordBytes()); // copies the symbols; zeroes only the series' part
        record[0] = FORMAT_VERSION;
        System.arraycopy(series, 0, record, symbolsEnd, seriesBytes);
        return record;
    }

    // ---- one series

    private boolean writeSeries(WriteBatch batch, int s) {
        int kept = 0;
        long samplesSize = 0;
        for (int i = batch.sampleStart(s); i < batch.sampleEnd(s); i++) {
            if (!batch.isSampleDropped(i)) {
                kept++;
                samplesSize += 2 + sampleSize(batch.timestamp(i));
            }
        }
        List<Histogram> histograms = batch.histograms(s);
        if (kept == 0 && histograms.isEmpty()) {
            return false;
        }
        int labels = batch.labelCount(s);
        ensureRefs(labels * 2);
        int first = batch.firstLabel(s);
        byte[] text = batch.text();
        for (int l = 0; l < labels; l++) {
            int label = first + l;
            refs[2 * l] = symbols.intern(text, batch.nameOffset(label), batch.nameLength(label), batch.nameHash(label));
            refs[2 * l + 1] = symbols.intern(text, batch.valueOffset(label), batch.valueLength(label), batch.valueHash(label));
        }
        int refsSize = refsSize(refs, labels * 2);
        List<Exemplar> exemplars = batch.exemplars(s);
        int[][] exemplarRefs = exemplars.isEmpty() ? NO_REFS : new int[exemplars.size()][];
        long bodySize = (labels > 0 ? 1 + CodedOutputStream.computeUInt32SizeNoTag(refsSize) + refsSize : 0)
                + samplesSize;
        for (Histogram h : histograms) {
            bodySize += CodedOutputStream.computeMessageSize(3, h);
        }
        for (int e = 0; e < exemplars.size(); e++) {
            exemplarRefs[e] = internAll(exemplars.get(e).labels());
            int size = exemplarSize(exemplars.get(e), exemplarRefs[e]);
            bodySize += 1 + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
        }
        long created = batch.createdTimestamp(s);
        if (created != 0) {
            bodySize += CodedOutputStream.computeInt64Size(6, created);
        }
        int p = openSeries(bodySize);
        p = writeRefs(series, p, 1, refs, labels * 2, refsSize);
        for (int i = batch.sampleStart(s); i < batch.sampleEnd(s); i++) {
            if (!batch.isSampleDropped(i)) {
                long ts = batch.timestamp(i);
                series[p++] = SAMPLE_FIELD_TAG;
                series[p++] = (byte) sampleSize(ts); // at most 20: one byte
                series[p++] = SAMPLE_VALUE_TAG;
                p = WireBytes.putFixed64(series, p, Double.doubleToRawLongBits(batch.value(i)));
                series[p++] = SAMPLE_TIMESTAMP_TAG;
                p = WireBytes.putVarint64(series, p, ts);
            }
        }
        if (!histograms.isEmpty()) {
            p = writeHistograms(p, histograms);
        }
        for (int e = 0; e < exemplars.size(); e++) {
            Exemplar exemplar = exemplars.get(e);
            int[] er = exemplarRefs[e];
            p = WireBytes.putVarint(series, p, tag(4, WireFormat.WIRETYPE_LENGTH_DELIMITED));
            p = WireBytes.putVarint(series, p, exemplarSize(exemplar, er));
            p = writeRefs(series, p, 1, er, er.length, refsSize(er, er.length));
            series[p++] = (byte) tag(2, WireFormat.WIRETYPE_FIXED64);
            p = WireBytes.putFixed64(series, p, Double.doubleToRawLongBits(exemplar.value()));
            series[p++] = (byte) tag(3, WireFormat.WIRETYPE_VARINT);
            p = WireBytes.putVarint64(series, p, exemplar.timestamp());
        }
        if (created != 0) {
            series[p++] = (byte) tag(6, WireFormat.WIRETYPE_VARINT);
            p = WireBytes.putVarint64(series, p, created);
        }
        closeSeries(p);
        return true;
    }

    /** Native histograms, which few series have, through their generated message class. */
    private int writeHistograms(int p, List<Histogram> histograms) {
        CodedOutputStream out = CodedOutputStream.newInstance(series, p, seriesEnd - p);
        try {
            for (Histogram h : histograms) {
                out.writeMessage(3, h);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p + out.getTotalBytesWritten();
    }

    /** Metadata travels as a series with only a name label and the metadata field. */
    private boolean writeMetadata(MetricMetadata m) {
        byte[] family = m.family().getBytes(StandardCharsets.UTF_8);
        byte[] help = m.help().getBytes(StandardCharsets.UTF_8);
        byte[] unit = m.unit().getBytes(StandardCharsets.UTF_8);
        int[] labelRefs = {symbols.intern(NAME, 0, NAME.length), symbols.intern(family, 0, family.length)};
        int helpRef = symbols.intern(help, 0, help.length);
        int unitRef = symbols.intern(unit, 0, unit.length);
        int refsSize = refsSize(labelRefs, 2);
        int metadataSize = CodedOutputStream.computeEnumSize(1, m.type().ordinal())
                + CodedOutputStream.computeUInt32Size(3, helpRef) + CodedOutputStream.computeUInt32Size(4, unitRef);
        long bodySize = 1 + CodedOutputStream.computeUInt32SizeNoTag(refsSize) + refsSize
                + 1 + CodedOutputStream.computeUInt32SizeNoTag(metadataSize) + metadataSize;
        int p = writeRefs(series, openSeries(bodySize), 1, labelRefs, 2, refsSize);
        p = WireBytes.putVarint(series, p, tag(5, WireFormat.WIRETYPE_LENGTH_DELIMITED));
        p = WireBytes.putVarint(series, p, metadataSize);
        series[p++] = (byte) tag(1, WireFormat.WIRETYPE_VARINT);
        p = WireBytes.putVarint(series, p, m.type().ordinal());
        series[p++] = (byte) tag(3, WireFormat.WIRETYPE_VARINT);
        p = WireBytes.putVarint(series, p, helpRef);
        series[p++] = (byte) tag(4, WireFormat.WIRETYPE_VARINT);
        p = WireBytes.putVarint(series, p, unitRef);
        closeSeries(p);
        return true;
    }

    // ---- wire helpers

    /** Makes room for a series of {@code bodySize} bytes and writes its tag and length; returns where the body starts. */
    private int openSeries(long bodySize) {
        if (bodySize > Integer.MAX_VALUE - 16) {
            bodySize = Integer.MAX_VALUE - 16; // fails the size check in add(), which catches it
        }
        int size = 1 + CodedOutputStream.computeUInt32SizeNoTag((int) bodySize) + (int) bodySize;
        if (seriesBytes + size > series.length) {
            series = Arrays.copyOf(series, Math.max(series.length * 2, seriesBytes + size));
        }
        seriesEnd = seriesBytes + size;
        int p = WireBytes.putVarint(series, seriesBytes, SERIES_FIELD_TAG);
        return WireBytes.putVarint(series, p, (int) bodySize);
    }

    /** Ends the series opened last, whose bytes end at {@code p}. */
    private void closeSeries(int p) {
        checkFilled(p, seriesEnd);
        seriesBytes = p;
    }

    /** The sizes computed first and the bytes written must agree, or the record would be corrupt. */
    private static void checkFilled(int written, int expected) {
        if (written != expected) {
            throw new IllegalStateException("encoded " + written + " bytes where " + expected + " were computed");
        }
    }

    private static int sampleSize(long timestamp) {
        return 9 + CodedOutputStream.computeInt64Size(2, timestamp);
    }

    private int exemplarSize(Exemplar e, int[] labelRefs) {
        int refsSize = refsSize(labelRefs, labelRefs.length);
        return (labelRefs.length > 0 ? 1 + CodedOutputStream.computeUInt32SizeNoTag(refsSize) + refsSize : 0)
                + 9 + CodedOutputStream.computeInt64Size(3, e.timestamp());
    }

    private int[] internAll(List<String> strings) {
        int[] out = new int[strings.size()];
        for (int i = 0; i < out.length; i++) {
            byte[] bytes = strings.get(i).getBytes(StandardCharsets.UTF_8);
            out[i] = symbols.intern(bytes, 0, bytes.length);
        }
        return out;
    }

    private static int refsSize(int[] refs, int n) {
        int size = 0;
        for (int i = 0; i < n; i++) {
            size += CodedOutputStream.computeUInt32SizeNoTag(refs[i]);
        }
        return size;
    }

    /** Writes the packed field of {@code refs[0..n)}, whose varints take {@code size} bytes, at {@code p}; nothing if empty. */
    private static int writeRefs(byte[] b, int p, int field, int[] refs, int n, int size) {
        if (n == 0) {
            return p;
        }
        p = WireBytes.putVarint(b, p, tag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED));
        p = WireBytes.putVarint(b, p, size);
        for (int i = 0; i < n; i++) {
            p = WireBytes.putVarint(b, p, refs[i]);
        }
        return p;
    }

    private static int tag(int field, int wireType) {
        return (field << 3) | wireType;
    }

    private void ensureRefs(int n) {
        if (refs.length < n) {
            refs = new int[Math.max(n, refs.length * 2)];
        }
    }
}
