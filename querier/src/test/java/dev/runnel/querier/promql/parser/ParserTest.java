package dev.runnel.querier.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.querier.promql.parser.ast.AggregateExpr;
import dev.runnel.querier.promql.parser.ast.BinaryExpr;
import dev.runnel.querier.promql.parser.ast.BinaryOp;
import dev.runnel.querier.promql.parser.ast.Expr;
import dev.runnel.querier.promql.parser.ast.MatrixSelector;
import dev.runnel.querier.promql.parser.ast.NumberLiteral;
import dev.runnel.querier.promql.parser.ast.ParenExpr;
import dev.runnel.querier.promql.parser.ast.SubqueryExpr;
import dev.runnel.querier.promql.parser.ast.UnaryExpr;
import dev.runnel.querier.promql.parser.ast.VectorMatching.Cardinality;
import dev.runnel.querier.promql.parser.ast.VectorSelector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParserTest {
  @Test
  void powerIsRightAssociativeAndBindsTighterThanUnaryMinus() {
    Expr e = Parser.parse("-a ^ b ^ c");
    assertThat(e).isInstanceOf(UnaryExpr.class);
    BinaryExpr pow = (BinaryExpr) ((UnaryExpr) e).expr();
    assertThat(pow.op()).isEqualTo(BinaryOp.POW);
    assertThat(pow.rhs()).isInstanceOf(BinaryExpr.class);
    assertThat(e.toString()).isEqualTo("-a ^ b ^ c");
  }

  @Test
  void precedenceOfArithmeticComparisonAndSetOperators() {
    BinaryExpr e = (BinaryExpr) Parser.parse("a or b and c > d + e * f");
    assertThat(e.op()).isEqualTo(BinaryOp.OR);
    BinaryExpr and = (BinaryExpr) e.rhs();
    assertThat(and.op()).isEqualTo(BinaryOp.AND);
    BinaryExpr gt = (BinaryExpr) and.rhs();
    assertThat(gt.op()).isEqualTo(BinaryOp.GTR);
    assertThat(((BinaryExpr) gt.rhs()).op()).isEqualTo(BinaryOp.ADD);
    assertThat(e.matching().card()).isEqualTo(Cardinality.MANY_TO_MANY);
  }

  @Test
  void subtractionIsLeftAssociativeAndNegativeNumbersFold() {
    BinaryExpr e = (BinaryExpr) Parser.parse("1 - 2 - -3");
    assertThat(e.lhs()).isInstanceOf(BinaryExpr.class);
    assertThat(((NumberLiteral) e.rhs()).value()).isEqualTo(-3);
  }

  @Test
  void selectorsWithModifiersAndSubqueries() {
    MatrixSelector ms = (MatrixSelector) Parser.parse("foo{a=~\"b|c\", d!=\"\"}[1h30m] offset -5m @ 100.5");
    assertThat(ms.rangeMillis()).isEqualTo(90 * 60_000L);
    assertThat(ms.selector().offsetMillis()).isEqualTo(-5 * 60_000L);
    assertThat(ms.selector().at().timestampMillis()).isEqualTo(100_500L);
    SubqueryExpr sq = (SubqueryExpr) Parser.parse("rate(x[5m])[30m:1m] @ end()");
    assertThat(sq.stepMillis()).isEqualTo(60_000L);
    assertThat(sq.toString()).isEqualTo("rate(x[5m])[30m:1m] @ end()");
    VectorSelector vs = (VectorSelector) Parser.parse("{__name__=~\"job:.*\"}");
    assertThat(vs.name()).isNull();
  }

  @Test
  void aggregationGroupingBeforeOrAfter() {
    AggregateExpr a = (AggregateExpr) Parser.parse("SUM(rate(x[5m])) BY (job, le)");
    AggregateExpr b = (AggregateExpr) Parser.parse("sum by (job, le) (rate(x[5m]))");
    assertThat(a.grouping()).containsExactly("job", "le");
    assertThat(a.toString()).isEqualTo(b.toString()).isEqualTo("sum by (job, le) (rate(x[5m]))");
    assertThat(Parser.parse("topk without (a) (3, x)").toString()).isEqualTo("topk without (a) (3, x)");
  }

  @Test
  void vectorMatchingModifiers() {
    BinaryExpr e = (BinaryExpr) Parser.parse("a * on (x, y) group_left (z) b");
    assertThat(e.matching().card()).isEqualTo(Cardinality.MANY_TO_ONE);
    assertThat(e.matching().on()).isTrue();
    assertThat(e.matching().include()).containsExactly("z");
    assertThat(e.toString()).isEqualTo("a * on (x, y) group_left (z) b");
    assertThat(Parser.parse("a > bool ignoring (x) b").toString()).isEqualTo("a > bool ignoring (x) b");
  }

  @Test
  void formatsLiteralsAndDurations() {
    assertThat(Parser.parse("foo offset 1d1h").toString()).isEqualTo("foo offset 1d1h");
    assertThat(Parser.parse("1e6 + 0.5 + Inf").toString()).isEqualTo("1e+06 + 0.5 + +Inf");
    assertThat(Parser.parse("label_replace(up, 'a', \"b\\n\", `c`, \"(.*)\")").toString())
        .isEqualTo("label_replace(up, \"a\", \"b\\n\", \"c\", \"(.*)\")");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      sum(foo) by                      | 1:12: parse error: unexpected end of input in grouping opts, expected "("
      foo by (a)                       | 1:5: parse error: unexpected <by>
      by                               | 1:1: parse error: unexpected <by>
      1 +                              | 1:4: parse error: unexpected end of input
      rate(foo)                        | 1:6: parse error: expected type range vector in call to function "rate", got instant vector
      rate(foo[5m], 1)                 | 1:1: parse error: expected 1 argument(s) in call to "rate", got 2
      round()                          | 1:1: parse error: expected at least 1 argument(s) in call to "round", got 0
      round(a, 1, 2)                   | 1:1: parse error: expected at most 2 argument(s) in call to "round", got 3
      nosuchfn(a)                      | 1:1: parse error: unknown function with name "nosuchfn"
      foo[5m] + 1                      | 1:1: parse error: binary expression must contain only scalar and instant vector types
      1 + foo[5m]                      | 1:5: parse error: binary expression must contain only scalar and instant vector types
      1 > 2                            | 1:3: parse error: comparisons between scalars must use BOOL modifier
      a + bool b                       | 1:3: parse error: bool modifier can only be used on comparison operators
      1 and a                          | 1:3: parse error: set operator "and" not allowed in binary scalar expression
      a and on (x) group_left b        | 1:3: parse error: no grouping allowed for "and" operation
      a + on (x) group_left (x) b      | 1:3: parse error: label "x" must not occur in ON and GROUP clause at once
      1 + on (x) a                     | 1:3: parse error: vector matching only allowed between instant vectors
      {}                               | 1:1: parse error: vector selector must contain at least one non-empty matcher
      {a=~".*"}                        | 1:1: parse error: vector selector must contain at least one non-empty matcher
      foo{__name__="bar"}              | 1:1: parse error: metric name must not be set twice: "foo" or "bar"
      foo{a="b"                        | 1:10: parse error: unexpected end of input in label matching, expected "," or "}"
      foo{a=~"("}                      | 1:8: parse error: invalid regular expression "(": Unclosed group
      sum(foo[5m])                     | 1:5: parse error: expected type instant vector in aggregation expression, got range vector
      topk(foo, bar)                   | 1:6: parse error: expected type scalar in aggregation parameter, got instant vector
      count_values(1, bar)             | 1:14: parse error: expected type string in aggregation parameter, got scalar
      sum(a, b)                        | 1:4: parse error: wrong number of arguments for aggregate expression provided, expected 1, got 2
      (foo)[5m]                        | 1:6: parse error: ranges only allowed for vector selectors
      foo offset 5m[10m]               | 1:14: parse error: no offset modifiers allowed before range
      foo[5m][10m:1m]                  | 1:1: parse error: subquery is only allowed on instant vector, got range vector in "foo[5m][10m:1m]" instead
      (foo) offset 5m                  | 1:7: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery
      foo offset 5m offset 1m          | 1:15: parse error: offset may not be set multiple times
      foo @ 1 @ 2                      | 1:9: parse error: @ <timestamp> may not be set multiple times
      foo @ bar                        | 1:7: parse error: unexpected identifier "bar" in @ modifier, expected number or start() or end()
      foo[5x]                          | 1:5: parse error: bad number or duration syntax: "5x"
      foo[5]                           | 1:5: parse error: unexpected number "5" in range, expected duration
      -"a"                             | 1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "string"
      foo ! bar                        | 1:5: parse error: unexpected character after '!': ' '
      "abc                             | 1:1: parse error: unterminated quoted string
      a $ b                            | 1:3: parse error: unexpected character: '$'
      sum without (a:b) (x)            | 1:14: parse error: unexpected identifier "a:b" in grouping opts, expected label
      <blank>                          | 1:1: parse error: no expression found in input
      """)
  void brokenQueriesReportWhereAndWhat(String query, String message) {
    assertThatThrownBy(() -> Parser.parse(query.equals("<blank>") ? " " : query))
        .isInstanceOf(ParseException.class)
        .hasMessage(message);
  }

  @Test
  void deeplyNestedQueriesFailCleanly() {
    assertThat(Parser.parse("(".repeat(900) + "1" + ")".repeat(900))).isInstanceOf(ParenExpr.class);
    assertThatThrownBy(() -> Parser.parse("(".repeat(200_000) + "1" + ")".repeat(200_000)))
        .isInstanceOf(ParseException.class)
        .hasMessage("1:1001: parse error: query is nested too deeply (more than 1000 levels)");
    assertThatThrownBy(() -> Parser.parse("1" + " + 1".repeat(200_000)))
        .isInstanceOf(ParseException.class)
        .hasMessage("1:3999: parse error: query is nested too deeply (more than 1000 levels)");
  }

  @Test
  void positionsCountLinesAndColumns() {
    assertThatThrownBy(() -> Parser.parse("sum(\n  foo\n) by bar"))
        .isInstanceOf(ParseException.class)
        .hasMessage("3:6: parse error: unexpected identifier \"bar\" in grouping opts, expected \"(\"")
        .extracting(e -> ((ParseException) e).position()).isEqualTo(16);
  }
}
