package dev.runnel.querier.promql.parser;

import dev.runnel.querier.promql.model.Labels;
import dev.runnel.querier.promql.model.Matcher;
import dev.runnel.querier.promql.model.Strings;
import dev.runnel.querier.promql.parser.ast.AggregateExpr;
import dev.runnel.querier.promql.parser.ast.AggregateOp;
import dev.runnel.querier.promql.parser.ast.At;
import dev.runnel.querier.promql.parser.ast.BinaryExpr;
import dev.runnel.querier.promql.parser.ast.BinaryOp;
import dev.runnel.querier.promql.parser.ast.Call;
import dev.runnel.querier.promql.parser.ast.Expr;
import dev.runnel.querier.promql.parser.ast.Function;
import dev.runnel.querier.promql.parser.ast.MatrixSelector;
import dev.runnel.querier.promql.parser.ast.NumberLiteral;
import dev.runnel.querier.promql.parser.ast.ParenExpr;
import dev.runnel.querier.promql.parser.ast.StringLiteral;
import dev.runnel.querier.promql.parser.ast.SubqueryExpr;
import dev.runnel.querier.promql.parser.ast.UnaryExpr;
import dev.runnel.querier.promql.parser.ast.ValueType;
import dev.runnel.querier.promql.parser.ast.VectorMatching;
import dev.runnel.querier.promql.parser.ast.VectorMatching.Cardinality;
import dev.runnel.querier.promql.parser.ast.VectorSelector;
import java.util.ArrayList;
import java.util.List;

/**
 * A recursive-descent parser with precedence climbing for binary operators. It type-checks as
 * it builds the tree, with the rules and messages of Prometheus' parser.
 */
public final class Parser {
  /**
   * The deepest tree accepted. Evaluating and printing recurse once per level, so this keeps
   * them far from a thread's stack limit; no sensible query comes near it.
   */
  static final int MAX_DEPTH = 1000;

  private final String query;
  private final List<Token> tokens;
  private int next;
  private int nesting;
  private boolean emptySelectorsAllowed;

  private Parser(String query) {
    this.query = query;
    this.tokens = Lexer.lex(query);
  }

  /** Parses a whole PromQL expression. */
  public static Expr parse(String query) {
    return new Parser(query).whole();
  }

  /**
   * Parses a series selector such as {@code up{job="a"}}, as used by the series API. Unlike in
   * an expression, a selector whose matchers all match the empty string is accepted, as
   * Prometheus' {@code ParseMetricSelector} does: its callers check that themselves.
   */
  public static VectorSelector parseSelector(String selector) {
    Parser p = new Parser(selector);
    p.emptySelectorsAllowed = true;
    Expr e = p.whole();
    if (e instanceof VectorSelector vs && vs.offsetMillis() == 0 && vs.at() == null) {
      return vs;
    }
    throw new ParseException(selector, 0, "expected a series selector such as up{job=\"a\"}, got " + e);
  }

  private Expr whole() {
    if (peek().kind() == TokenKind.EOF) {
      throw error(0, "no expression found in input");
    }
    Expr e;
    try {
      e = expr(0);
    } catch (StackOverflowError overflow) {
      throw error(0, "query is nested too deeply");
    }
    if (peek().kind() != TokenKind.EOF) {
      throw unexpected(peek(), null);
    }
    return e;
  }

  // ---- tokens

  private Token peek() {
    return tokens.get(next);
  }

  private Token peek(int ahead) {
    return tokens.get(Math.min(next + ahead, tokens.size() - 1));
  }

  private Token take() {
    Token t = tokens.get(next);
    if (t.kind() != TokenKind.EOF) {
      next++;
    }
    return t;
  }

  private Token expect(TokenKind kind, String context) {
    Token t = peek();
    if (t.kind() != kind) {
      throw unexpected(t, context + ", expected " + kind.description);
    }
    return take();
  }

  private ParseException error(int pos, String detail) {
    return new ParseException(query, pos, detail);
  }

  private ParseException unexpected(Token t, String context) {
    String what = t.kind() == TokenKind.EOF ? "end of input" : t.describe();
    return error(t.pos(), "unexpected " + what + (context == null ? "" : " in " + context));
  }

  // ---- expressions

  private Expr expr(int minPrecedence) {
    if (++nesting > MAX_DEPTH) {
      throw error(peek().pos(), "query is nested too deeply (more than " + MAX_DEPTH + " levels)");
    }
    try {
      return binaryChain(minPrecedence);
    } finally {
      nesting--;
    }
  }

  private Expr binaryChain(int minPrecedence) {
    Expr lhs = unary();
    int chain = 0;
    while (true) {
      Token t = peek();
      BinaryOp op = binaryOp(t);
      if (op == null || op.precedence() < minPrecedence) {
        return lhs;
      }
      if (nesting + ++chain > MAX_DEPTH) {
        throw error(t.pos(), "query is nested too deeply (more than " + MAX_DEPTH + " levels)");
      }
      take();
      boolean returnBool = false;
      if (peek().isKeyword("bool")) {
        take();
        returnBool = true;
      }
      VectorMatching matching = matching();
      Expr rhs = expr(op.rightAssociative() ? op.precedence() : op.precedence() + 1);
      lhs = binary(t, op, lhs, rhs, matching, returnBool);
    }
  }

  private static BinaryOp binaryOp(Token t) {
    return switch (t.kind()) {
      case ADD -> BinaryOp.ADD;
      case SUB -> BinaryOp.SUB;
      case MUL -> BinaryOp.MUL;
      case DIV -> BinaryOp.DIV;
      case MOD -> BinaryOp.MOD;
      case POW -> BinaryOp.POW;
      case EQLC -> BinaryOp.EQLC;
      case NEQ -> BinaryOp.NEQ;
      case LTE -> BinaryOp.LTE;
      case LSS -> BinaryOp.LSS;
      case GTE -> BinaryOp.GTE;
      case GTR -> BinaryOp.GTR;
      case IDENTIFIER -> t.isKeyword("and") ? BinaryOp.AND
          : t.isKeyword("or") ? BinaryOp.OR
          : t.isKeyword("unless") ? BinaryOp.UNLESS
          : t.isKeyword("atan2") ? BinaryOp.ATAN2
          : null;
      default -> null;
    };
  }

  private VectorMatching matching() {
    VectorMatching m = VectorMatching.DEFAULT;
    Token t = peek();
    if (t.isKeyword("on") || t.isKeyword("ignoring")) {
      take();
      m = new VectorMatching(Cardinality.ONE_TO_ONE, labelList("grouping opts"), t.isKeyword("on"), List.of());
    }
    t = peek();
    if (t.isKeyword("group_left") || t.isKeyword("group_right")) {
      take();
      List<String> include = peek().kind() == TokenKind.LEFT_PAREN ? labelList("grouping opts") : List.of();
      m = new VectorMatching(t.isKeyword("group_left") ? Cardinality.MANY_TO_ONE : Cardinality.ONE_TO_MANY,
          m.matchingLabels(), m.on(), include);
    }
    return m;
  }

  private Expr binary(Token opToken, BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool) {
    ValueType lt = lhs.type();
    ValueType rt = rhs.type();
    int opPos = opToken.pos();
    if (returnBool && !op.isComparison()) {
      throw error(opPos, "bool modifier can only be used on comparison operators");
    }
    if (op.isComparison() && !returnBool && lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
      throw error(opPos, "comparisons between scalars must use BOOL modifier");
    }
    if (op.isSetOperator() && matching.card() == Cardinality.ONE_TO_ONE) {
      matching = matching.withCard(Cardinality.MANY_TO_MANY);
    }
    if (matching.on()) {
      for (String l : matching.include()) {
        if (matching.matchingLabels().contains(l)) {
          throw error(opPos, "label " + Strings.quote(l) + " must not occur in ON and GROUP clause at once");
        }
      }
    }
    if (lt != ValueType.SCALAR && lt != ValueType.VECTOR) {
      throw error(lhs.pos(), "binary expression must contain only scalar and instant vector types");
    }
    if (rt != ValueType.SCALAR && rt != ValueType.VECTOR) {
      throw error(rhs.pos(), "binary expression must contain only scalar and instant vector types");
    }
    if (lt != ValueType.VECTOR || rt != ValueType.VECTOR) {
      if (!matching.matchingLabels().isEmpty()) {
        throw error(opPos, "vector matching only allowed between instant vectors");
      }
      matching = null;
    } else if (op.isSetOperator()) {
      if (matching.card() == Cardinality.ONE_TO_MANY || matching.card() == Cardinality.MANY_TO_ONE) {
        throw error(opPos, "no grouping allowed for \"" + op + "\" operation");
      }
    }
    if ((lt == ValueType.SCALAR || rt == ValueType.SCALAR) && op.isSetOperator()) {
      throw error(opPos, "set operator \"" + op + "\" not allowed in binary scalar expression");
    }
    return new BinaryExpr(lhs.pos(), op, lhs, rhs, matching, returnBool);
  }

  private Expr unary() {
    Token t = peek();
    if (t.kind() == TokenKind.ADD || t.kind() == TokenKind.SUB) {
      take();
      Expr operand = expr(BinaryOp.UNARY_PRECEDENCE + 1);
      boolean negate = t.kind() == TokenKind.SUB;
      if (operand instanceof NumberLiteral n) {
        return new NumberLiteral(t.pos(), negate ? -n.value() : n.value());
      }
      if (operand.type() != ValueType.SCALAR && operand.type() != ValueType.VECTOR) {
        throw error(t.pos(), "unary expression only allowed on expressions of type scalar or instant vector, got "
            + Strings.quote(operand.type().description()));
      }
      return new UnaryExpr(t.pos(), negate, operand);
    }
    return postfix(primary());
  }

  private Expr postfix(Expr e) {
    while (true) {
      Token t = peek();
      if (t.kind() == TokenKind.LEFT_BRACKET) {
        e = rangeOrSubquery(e);
      } else if (t.isKeyword("offset")) {
        take();
        boolean negative = false;
        if (peek().kind() == TokenKind.SUB || peek().kind() == TokenKind.ADD) {
          negative = take().kind() == TokenKind.SUB;
        }
        long d = duration("offset");
        e = withOffset(t, e, negative ? -d : d);
      } else if (t.kind() == TokenKind.AT) {
        take();
        e = withAt(t, e, atValue());
      } else {
        return e;
      }
    }
  }

  private Expr rangeOrSubquery(Expr e) {
    Token open = take();
    long range = duration("range");
    if (peek().kind() == TokenKind.COLON) {
      take();
      long step = 0;
      if (peek().kind() != TokenKind.RIGHT_BRACKET) {
        step = duration("subquery step");
      }
      expect(TokenKind.RIGHT_BRACKET, "subquery selector");
      if (e.type() != ValueType.VECTOR) {
        throw error(e.pos(), "subquery is only allowed on instant vector, got " + e.type().description() + " in "
            + Strings.quote(e + "[" + Durations.format(range) + ":" + (step == 0 ? "" : Durations.format(step)) + "]")
            + " instead");
      }
      return new SubqueryExpr(e.pos(), e, range, step, 0, null);
    }
    expect(TokenKind.RIGHT_BRACKET, "matrix selector");
    if (!(e instanceof VectorSelector vs)) {
      throw error(open.pos(), "ranges only allowed for vector selectors");
    }
    if (vs.offsetMillis() != 0) {
      throw error(open.pos(), "no offset modifiers allowed before range");
    }
    if (vs.at() != null) {
      throw error(open.pos(), "no @ modifiers allowed before range");
    }
    return new MatrixSelector(vs.pos(), vs, range);
  }

  private long duration(String context) {
    Token t = peek();
    if (t.kind() != TokenKind.DURATION && !(t.kind() == TokenKind.NUMBER && t.text().equals("0"))) {
      throw unexpected(t, context + ", expected duration");
    }
    take();
    return Durations.parse(t.text());
  }

  private Expr withOffset(Token t, Expr e, long offset) {
    String what = "offset";
    if (e instanceof VectorSelector vs) {
      checkUnset(t, vs.offsetMillis() != 0, what);
      return vs.withOffset(offset);
    }
    if (e instanceof MatrixSelector ms) {
      checkUnset(t, ms.selector().offsetMillis() != 0, what);
      return new MatrixSelector(ms.pos(), ms.selector().withOffset(offset), ms.rangeMillis());
    }
    if (e instanceof SubqueryExpr sq) {
      checkUnset(t, sq.offsetMillis() != 0, what);
      return sq.withOffset(offset);
    }
    throw error(t.pos(), "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery");
  }

  private Expr withAt(Token t, Expr e, At at) {
    String what = "@ <timestamp>";
    if (e instanceof VectorSelector vs) {
      checkUnset(t, vs.at() != null, what);
      return vs.withAt(at);
    }
    if (e instanceof MatrixSelector ms) {
      checkUnset(t, ms.selector().at() != null, what);
      return new MatrixSelector(ms.pos(), ms.selector().withAt(at), ms.rangeMillis());
    }
    if (e instanceof SubqueryExpr sq) {
      checkUnset(t, sq.at() != null, what);
      return sq.withAt(at);
    }
    throw error(t.pos(), "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery");
  }

  private void checkUnset(Token t, boolean alreadySet, String what) {
    if (alreadySet) {
      throw error(t.pos(), what + " may not be set multiple times");
    }
  }

  private At atValue() {
    Token t = peek();
    if (t.isKeyword("start") || t.isKeyword("end")) {
      take();
      expect(TokenKind.LEFT_PAREN, "@ modifier");
      expect(TokenKind.RIGHT_PAREN, "@ modifier");
      return new At(t.isKeyword("start") ? At.Kind.START : At.Kind.END, 0);
    }
    boolean negative = false;
    if (t.kind() == TokenKind.SUB || t.kind() == TokenKind.ADD) {
      negative = take().kind() == TokenKind.SUB;
      t = peek();
    }
    if (t.kind() != TokenKind.NUMBER) {
      throw unexpected(t, "@ modifier, expected number or start() or end()");
    }
    take();
    double seconds = number(t) * (negative ? -1 : 1);
    if (Double.isNaN(seconds) || Double.isInfinite(seconds) || Math.abs(seconds) > Long.MAX_VALUE / 1000.0) {
      throw error(t.pos(), "timestamp out of bounds for @ modifier: " + GoFloats.formatG(seconds));
    }
    return At.timestamp(Math.round(seconds * 1000));
  }

  private Expr primary() {
    Token t = peek();
    switch (t.kind()) {
      case NUMBER -> {
        take();
        return new NumberLiteral(t.pos(), number(t));
      }
      case STRING -> {
        take();
        return new StringLiteral(t.pos(), t.value());
      }
      case LEFT_PAREN -> {
        take();
        Expr inner = expr(0);
        expect(TokenKind.RIGHT_PAREN, "paren expression");
        return new ParenExpr(t.pos(), inner);
      }
      case LEFT_BRACE -> {
        return selector(t.pos(), null);
      }
      case IDENTIFIER -> {
        return identifierExpr(t);
      }
      default -> throw unexpected(t, null);
    }
  }

  private Expr identifierExpr(Token t) {
    AggregateOp agg = AggregateOp.byName(t.text());
    TokenKind after = peek(1).kind();
    if (agg != null && (after == TokenKind.LEFT_PAREN || peek(1).isKeyword("by") || peek(1).isKeyword("without"))) {
      return aggregate(agg);
    }
    if (after == TokenKind.LEFT_PAREN) {
      return call();
    }
    if (Token.KEYWORDS.contains(t.text().toLowerCase(java.util.Locale.ROOT)) || agg != null) {
      throw unexpected(t, null);
    }
    take();
    return selector(t.pos(), t.text());
  }

  private static double number(Token t) {
    String s = t.text();
    String lower = s.toLowerCase(java.util.Locale.ROOT);
    if (lower.equals("inf")) {
      return Double.POSITIVE_INFINITY;
    }
    if (lower.equals("nan")) {
      return Double.NaN;
    }
    if (lower.startsWith("0x")) {
      return Long.parseUnsignedLong(s.substring(2), 16);
    }
    if (s.length() > 1 && s.charAt(0) == '0' && s.chars().allMatch(Character::isDigit)) {
      try {
        return Long.parseLong(s, 8); // Go's ParseInt with base 0 reads a leading 0 as octal
      } catch (NumberFormatException e) {
        return Double.parseDouble(s);
      }
    }
    return Double.parseDouble(s);
  }

  private Expr aggregate(AggregateOp op) {
    Token opToken = take();
    List<String> grouping = null;
    boolean without = false;
    if (peek().isKeyword("by") || peek().isKeyword("without")) {
      without = take().isKeyword("without");
      grouping = labelList("grouping opts");
    }
    Token open = expect(TokenKind.LEFT_PAREN, "aggregation");
    List<Expr> args = args();
    if (grouping == null && (peek().isKeyword("by") || peek().isKeyword("without"))) {
      without = take().isKeyword("without");
      grouping = labelList("grouping opts");
    }
    int expected = op.paramType() == null ? 1 : 2;
    if (args.size() != expected) {
      throw error(open.pos(), "wrong number of arguments for aggregate expression provided, expected " + expected
          + ", got " + args.size());
    }
    Expr param = expected == 2 ? args.get(0) : null;
    Expr inner = args.get(expected - 1);
    if (inner.type() != ValueType.VECTOR) {
      throw error(inner.pos(), "expected type instant vector in aggregation expression, got " + inner.type().description());
    }
    if (param != null && param.type() != op.paramType()) {
      throw error(param.pos(), "expected type " + op.paramType().description() + " in aggregation parameter, got "
          + param.type().description());
    }
    return new AggregateExpr(opToken.pos(), op, inner, param, grouping == null ? List.of() : grouping, without);
  }

  private List<Expr> args() {
    List<Expr> args = new ArrayList<>();
    if (peek().kind() == TokenKind.RIGHT_PAREN) {
      take();
      return args;
    }
    while (true) {
      args.add(expr(0));
      Token t = take();
      if (t.kind() == TokenKind.RIGHT_PAREN) {
        return args;
      }
      if (t.kind() != TokenKind.COMMA) {
        throw unexpected(t, "function call arguments, expected \",\" or \")\"");
      }
    }
  }

  private Expr call() {
    Token name = take();
    Function f = Functions.get(name.text());
    if (f == null) {
      throw error(name.pos(), "unknown function with name " + Strings.quote(name.text()));
    }
    take();
    List<Expr> args = args();
    int declared = f.argTypes().size();
    if (f.optional() == 0) {
      if (args.size() != declared) {
        throw error(name.pos(), "expected " + declared + " argument(s) in call to " + Strings.quote(f.name()) + ", got "
            + args.size());
      }
    } else {
      int min = f.optional() < 0 ? declared - 1 : declared - f.optional();
      if (args.size() < min) {
        throw error(name.pos(), "expected at least " + min + " argument(s) in call to " + Strings.quote(f.name())
            + ", got " + args.size());
      }
      if (f.optional() > 0 && args.size() > declared) {
        throw error(name.pos(), "expected at most " + declared + " argument(s) in call to " + Strings.quote(f.name())
            + ", got " + args.size());
      }
    }
    for (int i = 0; i < args.size(); i++) {
      Expr a = args.get(i);
      if (a.type() != f.argType(i)) {
        throw error(a.pos(), "expected type " + f.argType(i).description() + " in call to function "
            + Strings.quote(f.name()) + ", got " + a.type().description());
      }
    }
    return new Call(name.pos(), f, args);
  }

  private List<String> labelList(String context) {
    expect(TokenKind.LEFT_PAREN, context);
    List<String> labels = new ArrayList<>();
    while (true) {
      Token t = take();
      if (t.kind() == TokenKind.RIGHT_PAREN) {
        return labels;
      }
      if (t.kind() != TokenKind.IDENTIFIER || t.text().indexOf(':') >= 0) {
        throw unexpected(t, context + ", expected label");
      }
      labels.add(t.text());
      Token sep = peek();
      if (sep.kind() == TokenKind.COMMA) {
        take();
      } else if (sep.kind() != TokenKind.RIGHT_PAREN) {
        throw unexpected(sep, context + ", expected \",\" or \")\"");
      }
    }
  }

  private VectorSelector selector(int pos, String name) {
    List<Matcher> matchers = new ArrayList<>();
    if (peek().kind() == TokenKind.LEFT_BRACE) {
      take();
      while (peek().kind() != TokenKind.RIGHT_BRACE) {
        matchers.add(matcher());
        if (peek().kind() == TokenKind.COMMA) {
          take();
        } else if (peek().kind() != TokenKind.RIGHT_BRACE) {
          throw unexpected(peek(), "label matching, expected \",\" or \"}\"");
        }
      }
      take();
    }
    if (name != null) {
      for (Matcher m : matchers) {
        if (m.name().equals(Labels.METRIC_NAME)) {
          throw error(pos, "metric name must not be set twice: " + Strings.quote(name) + " or " + Strings.quote(m.value()));
        }
      }
      matchers.add(Matcher.equal(Labels.METRIC_NAME, name));
    }
    if (!emptySelectorsAllowed && matchers.stream().allMatch(Matcher::matchesEmpty)) {
      throw error(pos, "vector selector must contain at least one non-empty matcher");
    }
    return new VectorSelector(pos, name, matchers, 0, null);
  }

  private Matcher matcher() {
    Token label = take();
    if (label.kind() != TokenKind.IDENTIFIER || label.text().indexOf(':') >= 0) {
      throw unexpected(label, "label matching, expected label");
    }
    Token op = take();
    Matcher.Type type = switch (op.kind()) {
      case ASSIGN -> Matcher.Type.EQUAL;
      case NEQ -> Matcher.Type.NOT_EQUAL;
      case EQL_REGEX -> Matcher.Type.REGEX;
      case NEQ_REGEX -> Matcher.Type.NOT_REGEX;
      default -> throw unexpected(op, "label matching, expected one of \"=\", \"!=\", \"=~\" or \"!~\"");
    };
    Token value = take();
    if (value.kind() != TokenKind.STRING) {
      throw unexpected(value, "label matching, expected string");
    }
    try {
      return Matcher.of(type, label.text(), value.value());
    } catch (IllegalArgumentException e) {
      throw error(value.pos(), e.getMessage());
    }
  }
}
