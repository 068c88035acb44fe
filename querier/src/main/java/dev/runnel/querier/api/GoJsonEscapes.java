package dev.runnel.querier.api;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * Escapes strings as Go's {@code encoding/json} does, which Prometheus' answers follow: control
 * characters other than newline, carriage return and tab, and {@code < > &} and U+2028/U+2029 (for HTML
 * safety), as a backslash, u and four lowercase hex digits.
 */
final class GoJsonEscapes extends CharacterEscapes {
  static final GoJsonEscapes INSTANCE = new GoJsonEscapes();

  private final int[] asciiEscapes = standardAsciiEscapesForJSON();
  private final SerializedString[] custom = new SerializedString[128];

  private GoJsonEscapes() {
    for (int c = 0; c < 0x20; c++) {
      if (c != '\n' && c != '\r' && c != '\t') {
        escapeAsUnicode(c);
      }
    }
    escapeAsUnicode('<');
    escapeAsUnicode('>');
    escapeAsUnicode('&');
  }

  private void escapeAsUnicode(int c) {
    asciiEscapes[c] = ESCAPE_CUSTOM;
    custom[c] = new SerializedString(String.format("\\u%04x", c));
  }

  @Override
  public int[] getEscapeCodesForAscii() {
    return asciiEscapes;
  }

  @Override
  public SerializableString getEscapeSequence(int ch) {
    if (ch < custom.length) {
      return custom[ch];
    }
    if (ch == 0x2028) {
      return new SerializedString("\\u2028");
    }
    if (ch == 0x2029) {
      return new SerializedString("\\u2029");
    }
    return null;
  }
}
