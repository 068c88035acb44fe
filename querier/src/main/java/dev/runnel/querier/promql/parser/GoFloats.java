package dev.runnel.querier.promql.parser;

import java.math.BigDecimal;

/** Formats floats the way Go does where Prometheus' output depends on it. */
public final class GoFloats {
  private GoFloats() {}

  /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: shortest digits, never an exponent. */
  public static String formatF(double v) {
    String special = special(v);
    if (special != null) {
      return special;
    }
    String s = new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    return v == 0 && 1 / v < 0 ? "-0" : s;
  }

  /** Go's {@code %v}/{@code 'g'} with shortest digits: an exponent below 1e-4 and from 1e6. */
  public static String formatG(double v) {
    String special = special(v);
    if (special != null) {
      return special;
    }
    if (v == 0) {
      return 1 / v < 0 ? "-0" : "0";
    }
    BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    int exp = d.precision() - d.scale() - 1;
    if (exp < -4 || exp >= 6) {
      String digits = d.unscaledValue().abs().toString();
      StringBuilder sb = new StringBuilder(v < 0 ? "-" : "").append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      sb.append('e').append(exp < 0 ? '-' : '+');
      int e = Math.abs(exp);
      if (e < 10) {
        sb.append('0');
      }
      return sb.append(e).toString();
    }
    return d.toPlainString();
  }

  private static String special(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return null;
  }
}
