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
    private int tenant;

    public Batch(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("batch capacity must be at least 1: " + capacity);
        }
        series = new Series[capacity];
        timestamps = new long[capacity];
        values = new double[capacity];
    }

    void clear(int tenant) {
        this.tenant = tenant;
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
        return tenant;
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
