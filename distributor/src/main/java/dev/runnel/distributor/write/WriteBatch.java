package dev.runnel.distributor.write;

import dev.runnel.proto.prometheus.write.v2.Histogram;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The series of one write request, decoded once and then validated, deduplicated, sharded and
 * encoded into log records without copying a label or allocating per sample.
 *
 * <p>Label names and values are UTF-8 byte ranges of one {@link #text()} array, which for a
 * remote-write request is the decompressed request body itself. Float samples of all series lie
 * in two flat arrays; series {@code s} owns the range {@code [sampleStart(s), sampleEnd(s))}.
 * Native histograms and exemplars are rare and kept as objects per series.
 *
 * <p>Later stages never shrink the arrays: they {@linkplain #dropSeries drop series} and
 * {@linkplain #dropSample drop samples} by marking them, and the record encoder skips what is
 * marked. Labels of every series are sorted by name (the builder sorts them when a sender did
 * not). {@linkplain #removeLabel Removing a label} shifts the series' later labels down within
 * its own range, so readers that go from {@link #firstLabel} over {@link #labelCount} labels
 * never see it.
 *
 * <p>Every label name and value is hashed once, when the batch is built ({@link #nameHash},
 * {@link #valueHash}, {@link ByteHashing#hash}); sharding and the record encoder's symbol
 * tables reuse these hashes instead of reading the bytes again.
 */
public final class WriteBatch {

    final byte[] text;
    final int seriesCount;
    /** Per series, the index of its first label in the label arrays. */
    final int[] labelStart;
    /** Per series, one past the index of its last label; below the next series' start once labels are removed. */
    final int[] labelEnd;
    /** Per label: offsets and lengths of name and value in {@link #text}. */
    final int[] nameOffset;
    final int[] nameLength;
    final int[] valueOffset;
    final int[] valueLength;
    /** Per label: {@link ByteHashing#hash} of name and value. */
    final int[] nameHash;
    final int[] valueHash;
    /** Per series, the index of its first sample; one extra entry at the end. */
    final int[] sampleStart;
    final long[] timestamps;
    final double[] values;
    /** Per series, null when it has none. */
    final List<Histogram>[] histograms;
    final List<Exemplar>[] exemplars;
    final long[] createdTimestamps;
    final List<MetricMetadata> metadata;
    private final BitSet droppedSeries = new BitSet();
    private final BitSet droppedSamples = new BitSet();
    private int sentHistograms;
    private boolean released;

    /** A batch released on this thread, whose arrays the next builder on the thread takes over. */
    private static final ThreadLocal<WriteBatch> SPARE = new ThreadLocal<>();
    /**
     * The most labels a spare may hold arrays for (about 6 MB of them): each push thread keeps
     * one spare, and a rare huge request should not pin its arrays for good.
     */
    private static final int MAX_SPARE_LABELS = 1 << 18;

    WriteBatch(byte[] text, int seriesCount, int[] labelStart, int[] labelEnd, int[] nameOffset, int[] nameLength,
               int[] valueOffset, int[] valueLength, int[] nameHash, int[] valueHash, int[] sampleStart,
               long[] timestamps, double[] values, List<Histogram>[] histograms, List<Exemplar>[] exemplars,
               long[] createdTimestamps, List<MetricMetadata> metadata) {
        this.text = text;
        this.seriesCount = seriesCount;
        this.labelStart = labelStart;
        this.labelEnd = labelEnd;
        System.arraycopy(labelStart, 1, labelEnd, 0, seriesCount);
        this.nameOffset = nameOffset;
        this.nameLength = nameLength;
        this.valueOffset = valueOffset;
        this.valueLength = valueLength;
        this.nameHash = nameHash;
        this.valueHash = valueHash;
        this.sampleStart = sampleStart;
        this.timestamps = timestamps;
        this.values = values;
        this.histograms = histograms;
        this.exemplars = exemplars;
        this.createdTimestamps = createdTimestamps;
        this.metadata = metadata;
        for (int s = 0; s < seriesCount; s++) {
            if (histograms[s] != null) {
                sentHistograms += histograms[s].size();
            }
        }
    }

    /**
     * Hands the batch's arrays to the next batch built on this thread, which then does not
     * allocate them again: a request's arrays take several bytes per byte of its body. The batch
     * must not be used afterwards. Optional: a batch that is not released is simply collected.
     */
    public void release() {
        if (!released && nameOffset.length <= MAX_SPARE_LABELS) { // twice would hand the same arrays to two batches
            released = true;
            SPARE.set(this);
        }
    }

    /** The batch released last on this thread, now no longer anyone's, or null. */
    static WriteBatch takeSpare() {
        WriteBatch spare = SPARE.get();
        if (spare != null) {
            SPARE.set(null);
        }
        return spare;
    }

    public static WriteBatchBuilder builder() {
        return new WriteBatchBuilder();
    }

    /** A builder whose byte-range labels refer to {@code text}, which it does not copy. */
    public static WriteBatchBuilder builder(byte[] text) {
        return new WriteBatchBuilder(text);
    }

    public byte[] text() {
        return text;
    }

    public int seriesCount() {
        return seriesCount;
    }

    // ---- labels

    public int labelCount(int series) {
        return labelEnd[series] - labelStart[series];
    }

    /** The index of the series' first label, for the byte accessors below. */
    public int firstLabel(int series) {
        return labelStart[series];
    }

    public int nameOffset(int label) {
        return nameOffset[label];
    }

    public int nameLength(int label) {
        return nameLength[label];
    }

    public int valueOffset(int label) {
        return valueOffset[label];
    }

    public int valueLength(int label) {
        return valueLength[label];
    }

    /** {@link ByteHashing#hash} of the label's name bytes. */
    public int nameHash(int label) {
        return nameHash[label];
    }

    /** {@link ByteHashing#hash} of the label's value bytes. */
    public int valueHash(int label) {
        return valueHash[label];
    }

    public String labelName(int label) {
        return new String(text, nameOffset[label], nameLength[label], StandardCharsets.UTF_8);
    }

    public String labelValue(int label) {
        return new String(text, valueOffset[label], valueLength[label], StandardCharsets.UTF_8);
    }

    /** The value of the series' label {@code name}, or null. */
    public String labelValue(int series, String name) {
        int l = labelIndex(series, name.getBytes(StandardCharsets.UTF_8));
        return l < 0 ? null : labelValue(l);
    }

    /** The index of the series' label whose name is the UTF-8 bytes {@code name}, or -1. */
    public int labelIndex(int series, byte[] name) {
        for (int l = labelStart[series]; l < labelEnd[series]; l++) {
            if (nameEquals(l, name)) {
                return l;
            }
        }
        return -1;
    }

    /**
     * Removes label {@code label} (an index from {@link #firstLabel} on) from the series, keeping
     * the others in order: HA deduplication removes the replica label, validation removes labels
     * with empty values.
     */
    public void removeLabel(int series, int label) {
        if (label < labelStart[series] || label >= labelEnd[series]) {
            throw new IndexOutOfBoundsException("label " + label + " is not one of series " + series + "'s");
        }
        int moved = labelEnd[series] - label - 1;
        System.arraycopy(nameOffset, label + 1, nameOffset, label, moved);
        System.arraycopy(nameLength, label + 1, nameLength, label, moved);
        System.arraycopy(valueOffset, label + 1, valueOffset, label, moved);
        System.arraycopy(valueLength, label + 1, valueLength, label, moved);
        System.arraycopy(nameHash, label + 1, nameHash, label, moved);
        System.arraycopy(valueHash, label + 1, valueHash, label, moved);
        labelEnd[series]--;
    }

    /** The series' metric name (its {@code __name__} label), or "" if it has none. */
    public String metricName(int series) {
        String name = labelValue(series, "__name__");
        return name == null ? "" : name;
    }

    /** The series' labels as Prometheus prints them: {@code name{a="1", b="2"}}. */
    public String describe(int series) {
        StringBuilder out = new StringBuilder(metricName(series)).append('{');
        boolean first = true;
        for (int l = labelStart[series]; l < labelEnd[series]; l++) {
            if (nameLength[l] == 8 && nameEquals(l, NAME_LABEL)) {
                continue;
            }
            out.append(first ? "" : ", ").append(labelName(l)).append("=\"").append(labelValue(l)).append('"');
            first = false;
        }
        return out.append('}').toString();
    }

    private static final byte[] NAME_LABEL = "__name__".getBytes(StandardCharsets.US_ASCII);

    private boolean nameEquals(int label, byte[] name) {
        return Arrays.equals(text, nameOffset[label], nameOffset[label] + nameLength[label],
                name, 0, name.length);
    }

    // ---- samples

    public int sampleStart(int series) {
        return sampleStart[series];
    }

    public int sampleEnd(int series) {
        return sampleStart[series + 1];
    }

    public long timestamp(int sample) {
        return timestamps[sample];
    }

    public double value(int sample) {
        return values[sample];
    }

    /** How many native histograms the series has, without creating its list. */
    public int histogramCount(int series) {
        return histograms[series] == null ? 0 : histograms[series].size();
    }

    /** How many exemplars the series has, without creating its list. */
    public int exemplarCount(int series) {
        return exemplars[series] == null ? 0 : exemplars[series].size();
    }

    /** The series' native histograms, in the order sent; empty if none. Stages may remove from it. */
    public List<Histogram> histograms(int series) {
        return histograms[series] == null ? List.of() : histograms[series];
    }

    /** The series' exemplars; empty if none. Stages may remove from it. */
    public List<Exemplar> exemplars(int series) {
        return exemplars[series] == null ? List.of() : exemplars[series];
    }

    /** The series' created timestamp in milliseconds, 0 if unknown. */
    public long createdTimestamp(int series) {
        return createdTimestamps[series];
    }

    /** Metadata of metric families, as sent (remote write 2.0 series metadata is gathered here). */
    public List<MetricMetadata> metadata() {
        return metadata;
    }

    // ---- dropping

    public void dropSeries(int series) {
        droppedSeries.set(series);
    }

    public boolean isDropped(int series) {
        return droppedSeries.get(series);
    }

    public void dropSample(int sample) {
        droppedSamples.set(sample);
    }

    public boolean isSampleDropped(int sample) {
        return droppedSamples.get(sample);
    }

    /** Float samples plus histogram samples sent in the request, dropped or not. */
    public int totalSamples() {
        return sampleStart[seriesCount] + sentHistograms;
    }

    /** Float and histogram samples still to be written: those of series not dropped, less dropped samples. */
    public int keptSamples() {
        int kept = 0;
        for (int s = 0; s < seriesCount; s++) {
            if (droppedSeries.get(s)) {
                continue;
            }
            kept += histogramCount(s);
            if (droppedSamples.isEmpty()) {
                kept += sampleStart[s + 1] - sampleStart[s];
            } else {
                for (int i = sampleStart[s]; i < sampleStart[s + 1]; i++) {
                    kept += droppedSamples.get(i) ? 0 : 1;
                }
            }
        }
        return kept;
    }

    public int totalExemplars() {
        int n = 0;
        for (int s = 0; s < seriesCount; s++) {
            n += exemplars[s] == null ? 0 : exemplars[s].size();
        }
        return n;
    }

    public int totalHistograms() {
        return sentHistograms;
    }
}
