package dev.runnel.loadgen.report;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The live progress line: rewritten in place with {@code \r} on a terminal, a plain line every 10 s otherwise
 * (logs, pipes). Called about once a second by the run.
 */
public final class Progress {
    private static final long PLAIN_EVERY_NANOS = 10_000_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private long lastPlainNanos = Long.MIN_VALUE;
    private boolean lineOpen;

    public Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** @param p99Millis NaN before the first acknowledged request */
    public void update(long nowNanos, String phase, double elapsedSeconds, double samplesPerSecond, double p99Millis,
                       long errors) {
        String line = String.format(Locale.ROOT, "%s %6.1fs  %,12.0f samples/s acked  p99 %s ms  errors %,d",
                phase, elapsedSeconds, samplesPerSecond, Report.ms(p99Millis), errors);
        if (terminal) {
            out.print("\r" + line + "\033[K");
            out.flush();
            lineOpen = true;
        } else if (lastPlainNanos == Long.MIN_VALUE || nowNanos - lastPlainNanos >= PLAIN_EVERY_NANOS) {
            out.println(line);
            lastPlainNanos = nowNanos;
        }
    }

    /** Ends the in-place line, so what follows starts on a fresh one. */
    public void finish() {
        if (lineOpen) {
            out.println();
            lineOpen = false;
        }
        lastPlainNanos = Long.MIN_VALUE;
    }
}
