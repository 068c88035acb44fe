package dev.runnel.querier.promql.parser;

/** Prometheus durations: {@code 1y2w3d4h5m6s7ms}, units in that order, each at most once. */
public final class Durations {
  private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
  private static final long[] MILLIS = {
    365L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, 24L * 3600 * 1000, 3600L * 1000, 60L * 1000, 1000L, 1L
  };

  private Durations() {}

  /** The duration in milliseconds, or -1 when the text is not a valid duration. */
  public static long parse(String s) {
    if (s.equals("0")) {
      return 0;
    }
    int i = 0;
    int nextUnit = 0;
    long total = 0;
    boolean any = false;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && Character.isDigit(s.charAt(i))) {
        i++;
      }
      if (i == start || i - start > 18) {
        return -1;
      }
      long n = Long.parseLong(s.substring(start, i));
      int unit = -1;
      for (int u = nextUnit; u < UNITS.length; u++) {
        if (s.startsWith(UNITS[u], i) && !(UNITS[u].equals("m") && s.startsWith("ms", i))) {
          unit = u;
          break;
        }
      }
      if (unit < 0) {
        return -1;
      }
      i += UNITS[unit].length();
      nextUnit = unit + 1;
      try {
        total = Math.addExact(total, Math.multiplyExact(n, MILLIS[unit]));
      } catch (ArithmeticException e) {
        return -1;
      }
      any = true;
    }
    return any ? total : -1;
  }

  /** Prometheus' form: the largest units first, {@code 0s} for zero. */
  public static String format(long millis) {
    if (millis == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    long rest = millis;
    for (int u = 0; u < UNITS.length; u++) {
      long n = rest / MILLIS[u];
      if (n > 0) {
        sb.append(n).append(UNITS[u]);
        rest -= n * MILLIS[u];
      }
    }
    return sb.toString();
  }
}
