package dev.runnel.querier.promql.parser;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Formats floats the way Go does where Prometheus' output depends on it. */
public final class GoFloats {
  private GoFloats() {}

  /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: shortest digits, never an exponent. */
  public static String formatF(double v) {
    String special = special(v);
    if (special != null) {
      return special;
    }
    if (v == 0) {
      return 1 / v < 0 ? "-0" : "0";
    }
    if (v == Math.rint(v) && Math.abs(v) < 0x1p53) {
      return Long.toString((long) v);
    }
    return shortest(v).toPlainString();
  }

  /** Go's {@code strconv.FormatFloat(v, 'e', -1, 64)}: {@code 1.5e-07}, {@code 1e+21}. */
  public static String formatE(double v) {
    String special = special(v);
    if (special != null) {
      return special;
    }
    if (v == 0) {
      return 1 / v < 0 ? "-0e+00" : "0e+00";
    }
    return exponentForm(shortest(v), v < 0);
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
    BigDecimal d = shortest(v);
    int exp = d.precision() - d.scale() - 1;
    if (exp < -4 || exp >= 6) {
      return exponentForm(d, v < 0);
    }
    return d.toPlainString();
  }

  private static String exponentForm(BigDecimal d, boolean negative) {
    int exp = d.precision() - d.scale() - 1;
    String digits = d.unscaledValue().abs().toString();
    StringBuilder sb = new StringBuilder(negative ? "-" : "").append(digits.charAt(0));
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

  /**
   * The shortest decimal that reads back as v, the closest such when several have that length,
   * as Go chooses. Java 17's {@code Double.toString} is exact up to 15 digits (only one decimal
   * of at most 15 digits fits between two neighbouring normal doubles) but sometimes gives more
   * digits than needed beyond that or for subnormals (JDK-4511638: {@code 4.9E-324} where Go
   * writes {@code 5e-324}), so those are shortened here.
   */
  private static BigDecimal shortest(double v) {
    BigDecimal fast = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    int digits = fast.precision();
    if (digits <= 15 && Math.abs(v) >= Double.MIN_NORMAL) {
      return fast;
    }
    BigDecimal exact = new BigDecimal(v);
    BigDecimal best = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
    for (int p = digits - 1; p >= 1; p--) {
      BigDecimal candidate = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (Double.parseDouble(candidate.toString()) != v) {
        break;
      }
      best = candidate;
    }
    return best.stripTrailingZeros();
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
