package dev.runnel.server.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written as Prometheus and Mimir write them in flags and YAML: {@code 250ms},
 * {@code 5s}, {@code 2m}, {@code 1h}, {@code 7d}, {@code 1w}, compounds from the largest unit
 * down such as {@code 1h30m}, and {@code 0}.
 */
public final class Durations {
    private static final Pattern FORMAT = Pattern.compile("(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+)s)?(?:(\\d+)ms)?");
    private static final long[] UNIT_MILLIS = {7 * 86_400_000L, 86_400_000L, 3_600_000L, 60_000L, 1000L, 1L};
    private static final String[] UNIT_NAMES = {"w", "d", "h", "m", "s", "ms"};

    private Durations() {
    }

    /**
     * The duration {@code text} spells.
     *
     * @param what the flag or key being read, named in the error
     * @throws IllegalArgumentException if {@code text} is not a duration
     */
    public static Duration parse(String what, String text) {
        String t = text.trim();
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = FORMAT.matcher(t);
        if (t.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException(what + " must be a duration such as 250ms, 5s, 2m or 1h: \"" + text + "\"");
        }
        long millis = 0;
        for (int unit = 0; unit < UNIT_MILLIS.length; unit++) {
            if (m.group(unit + 1) != null) {
                try {
                    millis = Math.addExact(millis, Math.multiplyExact(Long.parseLong(m.group(unit + 1)), UNIT_MILLIS[unit]));
                } catch (ArithmeticException | NumberFormatException e) {
                    throw new IllegalArgumentException(what + " is too long a duration: \"" + text + "\"");
                }
            }
        }
        return Duration.ofMillis(millis);
    }

    /** The shortest text that {@link #parse} reads back as {@code d} (whole milliseconds). */
    public static String format(Duration d) {
        long millis = d.toMillis();
        if (millis == 0) {
            return "0s";
        }
        if (millis < 0) {
            throw new IllegalArgumentException("a duration must not be negative: " + d);
        }
        StringBuilder out = new StringBuilder();
        for (int unit = 0; unit < UNIT_MILLIS.length; unit++) {
            long amount = millis / UNIT_MILLIS[unit];
            if (amount > 0) {
                out.append(amount).append(UNIT_NAMES[unit]);
                millis -= amount * UNIT_MILLIS[unit];
            }
        }
        return out.toString();
    }
}
