package dev.runnel.loadgen;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Parses durations as Runnel's flags spell them: {@code 250ms}, {@code 20s}, {@code 1m30s}; a bare number is seconds. */
public final class Durations implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    @Override
    public Duration convert(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(s));
        }
        Matcher m = PART.matcher(s);
        double millis = 0;
        int pos = 0;
        while (pos < s.length() || pos == 0) {
            if (!m.find(pos) || m.start() != pos) {
                throw new CommandLine.TypeConversionException("not a duration: '" + text + "' (use e.g. 250ms, 20s, 1m30s)");
            }
            millis += Double.parseDouble(m.group(1)) * switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1e3;
                case "m" -> 60e3;
                default -> 3600e3;
            };
            pos = m.end();
        }
        return Duration.ofMillis(Math.round(millis));
    }
}
