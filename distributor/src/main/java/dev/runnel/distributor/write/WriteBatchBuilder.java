package dev.runnel.distributor.write;

import dev.runnel.proto.prometheus.write.v2.Histogram;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds a {@link WriteBatch} series by series. Labels are given either as byte ranges of the
 * text the builder was made with (a decoder pointing into the request body) or as strings,
 * which are appended to that text (copying it once, the first time).
 */
public final class WriteBatchBuilder {

    private static final VarHandle BIG_ENDIAN_LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] text;
    private int textLength;
    private boolean ownsText;

    private int seriesCount;
    private int[] labelStart;
    private int labelCount;
    private int[] nameOffset;
    private int[] nameLength;
    private int[] valueOffset;
    private int[] valueLength;
    /** Per label, {@link ByteHashing#hash} of name and value, taken as the label is added, its bytes at hand. */
    private int[] nameHash;
    private int[] valueHash;
    /** Made by {@link #build}, unless taken over from a released batch. */
    private int[] labelEnd;

    private int[] sampleStart;
    private int sampleCount;
    private long[] timestamps;
    private double[] values;

    private List<Histogram>[] histograms;
    private List<Exemplar>[] exemplars;
    private long[] createdTimestamps;
    private final List<MetricMetadata> metadata = new ArrayList<>();
    private boolean inSeries;

    WriteBatchBuilder() {
        this.text = new byte[256];
        this.ownsText = true;
        takeArrays(16, 64);
    }

    /**
     * Sizes the arrays from the body: a remote-write series with one sample and ten labels
     * takes about 250 bytes, a label about 20, so growing is rare and the arrays are not much
     * larger than needed.
     */
    WriteBatchBuilder(byte[] text) {
        this.text = text;
        this.textLength = text.length;
        takeArrays(Math.max(16, text.length / 200), Math.max(64, text.length / 20));
    }

    /** Takes over the arrays of the batch {@linkplain WriteBatch#release released} last on this thread, or allocates them. */
    private void takeArrays(int series, int labels) {
        WriteBatch spare = WriteBatch.takeSpare();
        if (spare == null || spare.histograms.length < series || spare.nameOffset.length < labels) {
            allocate(series, labels);
            return;
        }
        labelStart = spare.labelStart;
        labelEnd = spare.labelEnd;
        sampleStart = spare.sampleStart;
        histograms = spare.histograms;
        exemplars = spare.exemplars;
        createdTimestamps = spare.createdTimestamps;
        timestamps = spare.timestamps;
        values = spare.values;
        nameOffset = spare.nameOffset;
        nameLength = spare.nameLength;
        valueOffset = spare.valueOffset;
        valueLength = spare.valueLength;
        nameHash = spare.nameHash;
        valueHash = spare.valueHash;
    }

    private void allocate(int series, int labels) {
        labelStart = new int[series + 1];
        sampleStart = new int[series + 1];
        histograms = newListArray(series);
        exemplars = newListArray(series);
        createdTimestamps = new long[series];
        timestamps = new long[series];
        values = new double[series];
        nameOffset = new int[labels];
        nameLength = new int[labels];
        valueOffset = new int[labels];
        valueLength = new int[labels];
        nameHash = new int[labels];
        valueHash = new int[labels];
    }

    public WriteBatchBuilder startSeries() {
        if (inSeries) {
            throw new IllegalStateException("series " + seriesCount + " was not ended");
        }
        inSeries = true;
        ensureSeriesCapacity();
        labelStart[seriesCount] = labelCount;
        sampleStart[seriesCount] = sampleCount;
        histograms[seriesCount] = null;
        exemplars[seriesCount] = null;
        createdTimestamps[seriesCount] = 0;
        return this;
    }

    /** A label whose name and value are byte ranges of the builder's text. */
    public WriteBatchBuilder label(int nameOff, int nameLen, int valueOff, int valueLen) {
        if (labelCount == nameOffset.length) {
            int n = labelCount * 2;
            nameOffset = Arrays.copyOf(nameOffset, n);
            nameLength = Arrays.copyOf(nameLength, n);
            valueOffset = Arrays.copyOf(valueOffset, n);
            valueLength = Arrays.copyOf(valueLength, n);
            nameHash = Arrays.copyOf(nameHash, n);
            valueHash = Arrays.copyOf(valueHash, n);
        }
        nameOffset[labelCount] = nameOff;
        nameLength[labelCount] = nameLen;
        valueOffset[labelCount] = valueOff;
        valueLength[labelCount] = valueLen;
        nameHash[labelCount] = ByteHashing.hash(text, nameOff, nameLen);
        valueHash[labelCount] = ByteHashing.hash(text, valueOff, valueLen);
        labelCount++;
        return this;
    }

    public WriteBatchBuilder label(String name, String value) {
        int nameOff = textLength;
        int nameLen = append(name);
        int valueOff = textLength;
        int valueLen = append(value);
        return label(nameOff, nameLen, valueOff, valueLen);
    }

    public WriteBatchBuilder sample(long timestamp, double value) {
        if (sampleCount == timestamps.length) {
            timestamps = Arrays.copyOf(timestamps, sampleCount * 2);
            values = Arrays.copyOf(values, sampleCount * 2);
        }
        timestamps[sampleCount] = timestamp;
        values[sampleCount] = value;
        sampleCount++;
        return this;
    }

    public WriteBatchBuilder histogram(Histogram histogram) {
        if (histograms[seriesCount] == null) {
            histograms[seriesCount] = new ArrayList<>(1);
        }
        histograms[seriesCount].add(histogram);
        return this;
    }

    public WriteBatchBuilder exemplar(Exemplar exemplar) {
        if (exemplars[seriesCount] == null) {
            exemplars[seriesCount] = new ArrayList<>(1);
        }
        exemplars[seriesCount].add(exemplar);
        return this;
    }

    public WriteBatchBuilder createdTimestamp(long millis) {
        createdTimestamps[seriesCount] = millis;
        return this;
    }

    /** Ends the series, sorting its labels by name if the sender did not. */
    public WriteBatchBuilder endSeries() {
        if (!inSeries) {
            throw new IllegalStateException("no series was started");
        }
        inSeries = false;
        sortLabels(labelStart[seriesCount], labelCount);
        seriesCount++;
        return this;
    }

    /** The value of label {@code name} of the last ended series, or "" if it has none. */
    public String lastSeriesLabel(String name) {
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        for (int l = labelStart[seriesCount - 1]; l < labelCount; l++) {
            if (Arrays.equals(text, nameOffset[l], nameOffset[l] + nameLength[l], wanted, 0, wanted.length)) {
                return new String(text, valueOffset[l], valueLength[l], StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    public WriteBatchBuilder metadata(MetricMetadata m) {
        metadata.add(m);
        return this;
    }

    public WriteBatch build() {
        if (inSeries) {
            throw new IllegalStateException("series " + seriesCount + " was not ended");
        }
        labelStart[seriesCount] = labelCount;
        sampleStart[seriesCount] = sampleCount;
        byte[] batchText = ownsText ? Arrays.copyOf(text, textLength) : text;
        if (labelEnd == null || labelEnd.length < seriesCount) {
            labelEnd = new int[labelStart.length];
        }
        // The arrays are handed over as they are, capacity and all: copying them would cost more
        // than the unused tails take.
        return new WriteBatch(batchText, seriesCount, labelStart, labelEnd, nameOffset, nameLength, valueOffset,
                valueLength, nameHash, valueHash, sampleStart, timestamps, values, histograms, exemplars,
                createdTimestamps, metadata);
    }

    private int append(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (!ownsText || textLength + bytes.length > text.length) {
            text = Arrays.copyOf(text, Math.max(text.length * 2, textLength + bytes.length + 256));
            ownsText = true;
        }
        System.arraycopy(bytes, 0, text, textLength, bytes.length);
        textLength += bytes.length;
        return bytes.length;
    }

    private void ensureSeriesCapacity() {
        if (seriesCount + 1 >= labelStart.length) {
            int n = labelStart.length * 2;
            labelStart = Arrays.copyOf(labelStart, n);
            sampleStart = Arrays.copyOf(sampleStart, n);
        }
        if (seriesCount == histograms.length) {
            int n = histograms.length * 2;
            histograms = Arrays.copyOf(histograms, n);
            exemplars = Arrays.copyOf(exemplars, n);
            createdTimestamps = Arrays.copyOf(createdTimestamps, n);
        }
    }

    /** Insertion sort of the label range by name bytes (unsigned, as Prometheus compares strings). */
    private void sortLabels(int from, int to) {
        for (int i = from + 1; i < to; i++) {
            if (compareNames(i - 1, i) <= 0) {
                continue;
            }
            int no = nameOffset[i], nl = nameLength[i], vo = valueOffset[i], vl = valueLength[i];
            int nh = nameHash[i], vh = valueHash[i];
            int j = i - 1;
            while (j >= from && compareNames(j, no, nl) > 0) {
                nameOffset[j + 1] = nameOffset[j];
                nameLength[j + 1] = nameLength[j];
                valueOffset[j + 1] = valueOffset[j];
                valueLength[j + 1] = valueLength[j];
                nameHash[j + 1] = nameHash[j];
                valueHash[j + 1] = valueHash[j];
                j--;
            }
            nameOffset[j + 1] = no;
            nameLength[j + 1] = nl;
            valueOffset[j + 1] = vo;
            valueLength[j + 1] = vl;
            nameHash[j + 1] = nh;
            valueHash[j + 1] = vh;
        }
    }

    private int compareNames(int a, int b) {
        return compareNames(a, nameOffset[b], nameLength[b]);
    }

    /**
     * Compares names as unsigned bytes, the first eight of each as one big-endian word where the
     * text allows (bytes past the shorter name masked off): names mostly differ there.
     */
    private int compareNames(int a, int otherOffset, int otherLength) {
        int offset = nameOffset[a];
        int length = nameLength[a];
        int n = Math.min(length, otherLength);
        if (n > 0 && offset + 8 <= text.length && otherOffset + 8 <= text.length) {
            long mask = n >= 8 ? -1L : -1L << (64 - 8 * n);
            long x = (long) BIG_ENDIAN_LONGS.get(text, offset) & mask;
            long y = (long) BIG_ENDIAN_LONGS.get(text, otherOffset) & mask;
            if (x != y) {
                return Long.compareUnsigned(x, y);
            }
            if (n < 8) { // one is a prefix of the other
                return Integer.compare(length, otherLength);
            }
        }
        return Arrays.compareUnsigned(text, offset, offset + length, text, otherOffset, otherOffset + otherLength);
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T>[] newListArray(int n) {
        return (List<T>[]) new List[n];
    }
}
