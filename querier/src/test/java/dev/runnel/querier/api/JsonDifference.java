package dev.runnel.querier.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Compares two JSON texts token by token: field order, number texts and strings must be the
 * same, except that sample values (strings holding numbers) that are not the same double may
 * differ by a relative 1e-12. That keeps the API's formatting exact while leaving the last bits
 * of computed values to the engine, whose floating-point order may differ from Prometheus'.
 */
final class JsonDifference {
  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonDifference() {}

  /** "" when the texts agree, else where they first differ. */
  static String between(String expected, String actual) throws IOException {
    try (JsonParser e = FACTORY.createParser(expected); JsonParser a = FACTORY.createParser(actual)) {
      while (true) {
        JsonToken te = e.nextToken();
        JsonToken ta = a.nextToken();
        if (te != ta) {
          return "token " + ta + " where " + te + " was expected, at " + a.currentLocation();
        }
        if (te == null) {
          return "";
        }
        if (te.isScalarValue() || te == JsonToken.FIELD_NAME) {
          String se = e.getText();
          String sa = a.getText();
          if (!se.equals(sa) && !(te == JsonToken.VALUE_STRING && close(se, sa))) {
            return "\"" + sa + "\" where \"" + se + "\" was expected, at " + a.currentLocation();
          }
        }
      }
    }
  }

  private static boolean close(String expected, String actual) {
    try {
      double e = Double.parseDouble(expected);
      double a = Double.parseDouble(actual);
      return e != a && Math.abs(e - a) <= 1e-12 * Math.max(Math.abs(e), Math.abs(a));
    } catch (NumberFormatException notNumbers) {
      return false;
    }
  }
}
