package dev.runnel.log.objectstore;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How long a cloud object store takes to answer, per call, to add to a local store in load tests
 * ({@code -object-store.latency-profile}): each operation's latency is log-normal, fixed by its median and its
 * 99th percentile. {@code none} adds nothing.
 *
 * <p>The figures are rounded from published measurements and vendor statements, not measured here: S3 Standard
 * answers small PUTs in about 30 ms at the median and 200 ms at p99, GETs a little faster (first byte about
 * 20 ms, p99 150 ms); S3 Express One Zone promises single-digit milliseconds, about 5 ms median and 20 ms p99.
 * DELETE and LIST are taken to cost what a PUT does.
 */
public enum LatencyProfile {
    NONE(0, 0, 0, 0),
    S3_STANDARD(30, 200, 20, 150),
    S3_EXPRESS(5, 20, 4, 15);

    /** z of the 99th percentile of the standard normal distribution. */
    private static final double Z99 = 2.3263478740408408;

    private final double writeMedianMs;
    private final double writeSigma;
    private final double readMedianMs;
    private final double readSigma;

    LatencyProfile(double writeMedianMs, double writeP99Ms, double readMedianMs, double readP99Ms) {
        this.writeMedianMs = writeMedianMs;
        this.writeSigma = writeMedianMs == 0 ? 0 : Math.log(writeP99Ms / writeMedianMs) / Z99;
        this.readMedianMs = readMedianMs;
        this.readSigma = readMedianMs == 0 ? 0 : Math.log(readP99Ms / readMedianMs) / Z99;
    }

    /** The flag value: {@code none}, {@code s3-standard} or {@code s3-express}. */
    public String flagValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static LatencyProfile parse(String flagValue) {
        for (LatencyProfile p : values()) {
            if (p.flagValue().equals(flagValue)) {
                return p;
            }
        }
        throw new IllegalArgumentException("-object-store.latency-profile must be none, s3-standard or s3-express: \""
                + flagValue + "\"");
    }

    /** A latency in microseconds for a read (GET, ranged GET) or a write (PUT, DELETE, LIST). */
    long sampleMicros(boolean read, SplittableRandom random) {
        double median = read ? readMedianMs : writeMedianMs;
        if (median == 0) {
            return 0;
        }
        double sigma = read ? readSigma : writeSigma;
        return Math.round(median * 1000 * Math.exp(sigma * gaussian(random)));
    }

    /** A standard normal draw (Box-Muller); SplittableRandom has no nextGaussian on Java 17. */
    private static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble(); // (0, 1]: log is finite
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
