package dev.runnel.querier.promql.engine;

/** Math functions whose special cases differ between Go and Java, done the Go way. */
final class GoMath {
  private static final double LN2 = Math.log(2);

  private GoMath() {}

  /** Go's math.Pow: unlike Java, 1^y is 1 for any y (NaN too) and (-1)^±Inf is 1. */
  static double pow(double x, double y) {
    if (x == 1 || y == 0) {
      return 1;
    }
    if (x == -1 && Double.isInfinite(y)) {
      return 1;
    }
    return Math.pow(x, y);
  }

  /** Go's math.Log2: exact for powers of two. */
  static double log2(double x) {
    if (x > 0 && x < Double.POSITIVE_INFINITY && Double.MIN_NORMAL <= x) {
      int exp = Math.getExponent(x);
      double frac = x / Math.scalb(1.0, exp); // in [1, 2)
      if (frac == 1) {
        return exp;
      }
      return Math.log(frac) / LN2 + exp;
    }
    return Math.log(x) / LN2;
  }

  static double asinh(double x) {
    if (Double.isInfinite(x) || Double.isNaN(x) || x == 0) {
      return x;
    }
    double a = Math.abs(x);
    double r = Math.log(a + Math.sqrt(a * a + 1));
    return x < 0 ? -r : r;
  }

  static double acosh(double x) {
    if (x < 1 || Double.isNaN(x)) {
      return Double.NaN;
    }
    return Math.log(x + Math.sqrt(x * x - 1));
  }

  static double atanh(double x) {
    if (x < -1 || x > 1 || Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x == 1) {
      return Double.POSITIVE_INFINITY;
    }
    if (x == -1) {
      return Double.NEGATIVE_INFINITY;
    }
    return 0.5 * Math.log((1 + x) / (1 - x));
  }

  static double sgn(double v) {
    return v < 0 ? -1 : v > 0 ? 1 : v;
  }
}
