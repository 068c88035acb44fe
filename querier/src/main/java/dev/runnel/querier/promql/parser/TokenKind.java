package dev.runnel.querier.promql.parser;

/** Lexical token kinds. Keywords are identifiers; the parser recognises them by context. */
enum TokenKind {
  IDENTIFIER("identifier"),
  NUMBER("number"),
  STRING("string"),
  DURATION("duration"),
  LEFT_PAREN("\"(\""),
  RIGHT_PAREN("\")\""),
  LEFT_BRACE("\"{\""),
  RIGHT_BRACE("\"}\""),
  LEFT_BRACKET("\"[\""),
  RIGHT_BRACKET("\"]\""),
  COMMA("\",\""),
  COLON("\":\""),
  AT("\"@\""),
  ASSIGN("\"=\""),
  EQL_REGEX("\"=~\""),
  NEQ_REGEX("\"!~\""),
  ADD("+"),
  SUB("-"),
  MUL("*"),
  DIV("/"),
  MOD("%"),
  POW("^"),
  EQLC("=="),
  NEQ("!="),
  LTE("<="),
  LSS("<"),
  GTE(">="),
  GTR(">"),
  EOF("end of input");

  final String description;

  TokenKind(String description) {
    this.description = description;
  }
}
