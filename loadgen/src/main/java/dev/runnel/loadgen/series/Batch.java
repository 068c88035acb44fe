package dev.runnel.loadgen.series;

/**
 * The samples of one remote-write request, all of one tenant: parallel arrays reused from request to request,
 * so filling a batch allocates nothing.
 */
public final class Batch {
    private final Series[] series;
    private final long[] timestamps;
    private final double[] values;
    private int size;
    private SampleSequence sequence;
    private long firstPosition;
    private long churned;

    public Batch(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("batch capacity must be at least 1: " + capacity);
        }
        series = new Series[capacity];
        timestamps = new long[capacity];
        values = new double[capacity];
    }

    void clear(SampleSequence sequence, long firstPosition, long churned) {
        this.sequence = sequence;
        this.firstPosition = firstPosition;
        this.churned = churned;
        size = 0;
    }

    void add(Series s, long timestampMillis, double value) {
        series[size] = s;
        timestamps[size] = timestampMillis;
        values[size] = value;
        size++;
    }

    public int capacity() {
        return series.length;
    }

    public int size() {
        return size;
    }

    /** The tenant number (0-based); the request goes out with {@code X-Scope-OrgID: tenant-<number+1>}. */
    public int tenant() {
        return sequence.tenant();
    }

    /** The sequence these samples come from; sample {@code i} is at position {@code firstPosition() + i} of it. */
    public SampleSequence sequence() {
        return sequence;
    }

    public long firstPosition() {
        return firstPosition;
    }

    /** Churn events of the sequence before these samples (the same for all of them). */
    public long churned() {
        return churned;
    }

    public Series series(int i) {
        return series[i];
    }

    public long timestamp(int i) {
        return timestamps[i];
    }

    public double value(int i) {
        return values[i];
    }
}
