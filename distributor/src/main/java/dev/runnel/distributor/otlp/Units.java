package dev.runnel.distributor.otlp;

import java.util.Map;

/**
 * OTLP units (UCUM, as the semantic conventions use them) as Prometheus name suffixes:
 * {@code s} is {@code seconds}, {@code By/s} is {@code bytes} per {@code second}. Units in braces
 * ({@code {request}}) are annotations and give no suffix; unknown units are used as they are.
 */
final class Units {

    private static final Map<String, String> MAIN = Map.ofEntries(
            Map.entry("d", "days"), Map.entry("h", "hours"), Map.entry("min", "minutes"),
            Map.entry("s", "seconds"), Map.entry("ms", "milliseconds"), Map.entry("us", "microseconds"),
            Map.entry("ns", "nanoseconds"),
            Map.entry("By", "bytes"), Map.entry("KiBy", "kibibytes"), Map.entry("MiBy", "mebibytes"),
            Map.entry("GiBy", "gibibytes"), Map.entry("TiBy", "tibibytes"), Map.entry("KBy", "kilobytes"),
            Map.entry("MBy", "megabytes"), Map.entry("GBy", "gigabytes"), Map.entry("TBy", "terabytes"),
            Map.entry("m", "meters"), Map.entry("V", "volts"), Map.entry("A", "amperes"), Map.entry("J", "joules"),
            Map.entry("W", "watts"), Map.entry("g", "grams"),
            Map.entry("Cel", "celsius"), Map.entry("Hz", "hertz"), Map.entry("1", ""), Map.entry("%", "percent"));

    private static final Map<String, String> PER = Map.of(
            "s", "second", "m", "minute", "h", "hour", "d", "day", "w", "week", "mo", "month", "y", "year");

    /** The suffixes of a unit: main ("bytes", "" if none) and per ("per_second", "" if none). */
    record Suffixes(String main, String per) {
    }

    private Units() {
    }

    static Suffixes suffixes(String unit) {
        int slash = unit.indexOf('/');
        String main = (slash < 0 ? unit : unit.substring(0, slash)).trim();
        String per = slash < 0 ? "" : unit.substring(slash + 1).trim();
        String mainSuffix = isAnnotation(main) ? "" : MAIN.getOrDefault(main, main);
        String perSuffix = isAnnotation(per) ? "" : PER.getOrDefault(per, per);
        return new Suffixes(mainSuffix, perSuffix.isEmpty() ? "" : "per_" + perSuffix);
    }

    private static boolean isAnnotation(String unit) {
        return unit.isEmpty() || unit.indexOf('{') >= 0 || unit.indexOf('}') >= 0;
    }
}
