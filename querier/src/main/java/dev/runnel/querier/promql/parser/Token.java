package dev.runnel.querier.promql.parser;

import dev.runnel.querier.promql.model.Strings;
import dev.runnel.querier.promql.parser.ast.AggregateOp;
import java.util.Locale;
import java.util.Set;

/** A token: its kind, its text as written (strings unquoted into {@code value}) and its offset. */
record Token(TokenKind kind, String text, String value, int pos) {
  static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "bool",
      "offset", "and", "or", "unless", "atan2");

  boolean isKeyword(String keyword) {
    return kind == TokenKind.IDENTIFIER && text.equalsIgnoreCase(keyword);
  }

  /** How Prometheus names the token in "unexpected ..." messages. */
  String describe() {
    return switch (kind) {
      case IDENTIFIER -> {
        String lower = text.toLowerCase(Locale.ROOT);
        if (KEYWORDS.contains(lower)) {
          yield "<" + lower + ">";
        }
        if (AggregateOp.byName(text) != null) {
          yield "<aggr:" + lower + ">";
        }
        yield "identifier " + Strings.quote(text);
      }
      case NUMBER, DURATION -> kind.description + " " + Strings.quote(text);
      case STRING -> "string " + Strings.quote(text);
      case ADD, SUB, MUL, DIV, MOD, POW -> "<op:" + kind.description + ">";
      case EQLC, NEQ, LTE, LSS, GTE, GTR -> "<op:" + kind.description + ">";
      default -> kind.description;
    };
  }
}
