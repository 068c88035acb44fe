package dev.runnel.distributor.otlp;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Floats as text the way the Go translators print them, so label values match Prometheus'. */
final class FloatFormat {

    private FloatFormat() {
    }

    /**
     * Shortest decimal without exponent, as Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: the
     * {@code le} and {@code quantile} label values ({@code 0.005}, {@code 10}, {@code +Inf}).
     */
    static String plain(double v) {
        String special = special(v);
        return special != null ? special : decimal(v).toPlainString();
    }

    /**
     * As JavaScript prints numbers (what OTLP's {@code AsString} does for double attributes):
     * plain, but with an exponent below 1e-6 or from 1e21 on ({@code 1e-7}, {@code 1.5e+21}).
     */
    static String javascript(double v) {
        String special = special(v);
        if (special != null) {
            return special;
        }
        double abs = Math.abs(v);
        if (abs >= 1e-6 && abs < 1e21) {
            return decimal(v).toPlainString();
        }
        BigDecimal d = decimal(v);
        String digits = d.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - d.scale();
        StringBuilder out = new StringBuilder();
        if (v < 0) {
            out.append('-');
        }
        out.append(digits.charAt(0));
        if (digits.length() > 1) {
            out.append('.').append(digits, 1, digits.length());
        }
        return out.append('e').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent)).toString();
    }

    private static String special(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0" : "0";
        }
        return null;
    }

    /**
     * The shortest decimal that reads back as {@code v}, without trailing zeros. Java 17's
     * {@link Double#toString} is not always the shortest (JDK-4511638, fixed in 19): when it gives
     * 16 or more digits, fewer are tried.
     */
    private static BigDecimal decimal(double v) {
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        if (d.precision() < 16) {
            return d;
        }
        BigDecimal exact = new BigDecimal(v);
        for (int digits = 1; digits < d.precision(); digits++) {
            BigDecimal rounded = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (rounded.doubleValue() == v) {
                return rounded.stripTrailingZeros();
            }
        }
        return d;
    }
}
