package dev.runnel.querier.promql.parser;

import java.util.ArrayList;
import java.util.List;

/** Splits a query into tokens; comments ({@code # ...}) and white space are skipped. */
final class Lexer {
  private final String q;
  private int i;
  private final List<Token> out = new ArrayList<>();

  private Lexer(String query) {
    this.q = query;
  }

  static List<Token> lex(String query) {
    Lexer l = new Lexer(query);
    l.run();
    return l.out;
  }

  private ParseException error(int pos, String detail) {
    return new ParseException(q, pos, detail);
  }

  private void run() {
    while (true) {
      skipSpaceAndComments();
      if (i >= q.length()) {
        out.add(new Token(TokenKind.EOF, "", "", i));
        return;
      }
      char c = q.charAt(i);
      int start = i;
      if (isIdentStart(c)) {
        while (i < q.length() && (isIdentPart(q.charAt(i)) || q.charAt(i) == ':')) {
          i++;
        }
        String word = q.substring(start, i);
        boolean number = word.equalsIgnoreCase("inf") || word.equalsIgnoreCase("nan");
        out.add(new Token(number ? TokenKind.NUMBER : TokenKind.IDENTIFIER, word, word, start));
      } else if (c == ':' && !insideBrackets()) {
        // Recording rule names may start with a colon.
        while (i < q.length() && (isIdentPart(q.charAt(i)) || q.charAt(i) == ':')) {
          i++;
        }
        out.add(new Token(TokenKind.IDENTIFIER, q.substring(start, i), q.substring(start, i), start));
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < q.length() && Character.isDigit(q.charAt(i + 1)))) {
        lexNumberOrDuration();
      } else if (c == '"' || c == '\'') {
        lexString(c);
      } else if (c == '`') {
        int end = q.indexOf('`', i + 1);
        if (end < 0) {
          throw error(start, "unterminated raw string");
        }
        i = end + 1;
        out.add(new Token(TokenKind.STRING, q.substring(start, i), q.substring(start + 1, end), start));
      } else {
        lexPunctuation(c, start);
      }
    }
  }

  private boolean insideBrackets() {
    int depth = 0;
    for (Token t : out) {
      if (t.kind() == TokenKind.LEFT_BRACKET) {
        depth++;
      } else if (t.kind() == TokenKind.RIGHT_BRACKET) {
        depth--;
      }
    }
    return depth > 0;
  }

  private void lexPunctuation(char c, int start) {
    char n = i + 1 < q.length() ? q.charAt(i + 1) : 0;
    TokenKind kind;
    int len = 1;
    switch (c) {
      case '(' -> kind = TokenKind.LEFT_PAREN;
      case ')' -> kind = TokenKind.RIGHT_PAREN;
      case '{' -> kind = TokenKind.LEFT_BRACE;
      case '}' -> kind = TokenKind.RIGHT_BRACE;
      case '[' -> kind = TokenKind.LEFT_BRACKET;
      case ']' -> kind = TokenKind.RIGHT_BRACKET;
      case ',' -> kind = TokenKind.COMMA;
      case ':' -> kind = TokenKind.COLON;
      case '@' -> kind = TokenKind.AT;
      case '+' -> kind = TokenKind.ADD;
      case '-' -> kind = TokenKind.SUB;
      case '*' -> kind = TokenKind.MUL;
      case '/' -> kind = TokenKind.DIV;
      case '%' -> kind = TokenKind.MOD;
      case '^' -> kind = TokenKind.POW;
      case '=' -> {
        if (n == '=') {
          kind = TokenKind.EQLC;
          len = 2;
        } else if (n == '~') {
          kind = TokenKind.EQL_REGEX;
          len = 2;
        } else {
          kind = TokenKind.ASSIGN;
        }
      }
      case '!' -> {
        if (n == '=') {
          kind = TokenKind.NEQ;
        } else if (n == '~') {
          kind = TokenKind.NEQ_REGEX;
        } else {
          throw error(start, "unexpected character after '!': " + quoteChar(n));
        }
        len = 2;
      }
      case '<' -> {
        kind = n == '=' ? TokenKind.LTE : TokenKind.LSS;
        len = n == '=' ? 2 : 1;
      }
      case '>' -> {
        kind = n == '=' ? TokenKind.GTE : TokenKind.GTR;
        len = n == '=' ? 2 : 1;
      }
      default -> throw error(start, "unexpected character: " + quoteChar(c));
    }
    i += len;
    String text = q.substring(start, i);
    out.add(new Token(kind, text, text, start));
  }

  private static String quoteChar(char c) {
    return c == 0 ? "end of input" : "'" + c + "'";
  }

  private void lexNumberOrDuration() {
    int start = i;
    int end = start;
    while (end < q.length() && (Character.isLetterOrDigit(q.charAt(end)) || q.charAt(end) == '_')) {
      end++;
    }
    String word = q.substring(start, end);
    if (Durations.parse(word) >= 0 && !word.chars().allMatch(Character::isDigit)) {
      i = end;
      out.add(new Token(TokenKind.DURATION, word, word, start));
      return;
    }
    if (q.startsWith("0x", i) || q.startsWith("0X", i)) {
      i += 2;
      while (i < q.length() && Character.digit(q.charAt(i), 16) >= 0) {
        i++;
      }
    } else {
      digits();
      if (i < q.length() && q.charAt(i) == '.') {
        i++;
        digits();
      }
      if (i < q.length() && (q.charAt(i) == 'e' || q.charAt(i) == 'E')) {
        int mark = i;
        i++;
        if (i < q.length() && (q.charAt(i) == '+' || q.charAt(i) == '-')) {
          i++;
        }
        if (i >= q.length() || !Character.isDigit(q.charAt(i))) {
          i = mark;
        } else {
          digits();
        }
      }
    }
    if (i < q.length() && (Character.isLetterOrDigit(q.charAt(i)) || q.charAt(i) == '_')) {
      int bad = i;
      while (bad < q.length() && (Character.isLetterOrDigit(q.charAt(bad)) || q.charAt(bad) == '_' || q.charAt(bad) == '.')) {
        bad++;
      }
      throw error(start, "bad number or duration syntax: \"" + q.substring(start, bad) + "\"");
    }
    String text = q.substring(start, i);
    out.add(new Token(TokenKind.NUMBER, text, text, start));
  }

  private void digits() {
    while (i < q.length() && Character.isDigit(q.charAt(i))) {
      i++;
    }
  }

  private void lexString(char quote) {
    int start = i;
    i++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (i >= q.length() || q.charAt(i) == '\n') {
        throw error(start, "unterminated quoted string");
      }
      char c = q.charAt(i++);
      if (c == quote) {
        break;
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (i >= q.length()) {
        throw error(start, "unterminated quoted string");
      }
      char e = q.charAt(i++);
      switch (e) {
        case 'a' -> sb.append('\u0007');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'v' -> sb.append('\u000b');
        case '\\' -> sb.append('\\');
        case 'x' -> sb.append((char) hex(2, start));
        case 'u' -> sb.append((char) hex(4, start));
        case 'U' -> sb.appendCodePoint(hex(8, start));
        case '0', '1', '2', '3', '4', '5', '6', '7' -> {
          if (i + 2 > q.length()) {
            throw error(i - 2, "invalid escape sequence in string");
          }
          String oct = q.substring(i - 1, i + 2);
          if (!oct.matches("[0-7]{3}")) {
            throw error(i - 2, "invalid escape sequence in string");
          }
          sb.append((char) Integer.parseInt(oct, 8));
          i += 2;
        }
        default -> {
          if (e == quote) {
            sb.append(e);
          } else {
            throw error(i - 2, "unknown escape sequence " + quoteChar(e));
          }
        }
      }
    }
    out.add(new Token(TokenKind.STRING, q.substring(start, i), sb.toString(), start));
  }

  private int hex(int n, int start) {
    if (i + n > q.length()) {
      throw error(start, "invalid escape sequence in string");
    }
    try {
      int v = Integer.parseUnsignedInt(q.substring(i, i + n), 16);
      i += n;
      return v;
    } catch (NumberFormatException e) {
      throw error(i - 2, "invalid escape sequence in string");
    }
  }

  private void skipSpaceAndComments() {
    while (i < q.length()) {
      char c = q.charAt(i);
      if (c == '#') {
        while (i < q.length() && q.charAt(i) != '\n') {
          i++;
        }
      } else if (Character.isWhitespace(c)) {
        i++;
      } else {
        return;
      }
    }
  }

  private static boolean isIdentStart(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isIdentPart(char c) {
    return isIdentStart(c) || (c >= '0' && c <= '9');
  }
}
