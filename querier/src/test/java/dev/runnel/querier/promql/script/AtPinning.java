package dev.runnel.querier.promql.script;

import dev.runnel.querier.promql.parser.ast.AggregateExpr;
import dev.runnel.querier.promql.parser.ast.At;
import dev.runnel.querier.promql.parser.ast.BinaryExpr;
import dev.runnel.querier.promql.parser.ast.Call;
import dev.runnel.querier.promql.parser.ast.Expr;
import dev.runnel.querier.promql.parser.ast.MatrixSelector;
import dev.runnel.querier.promql.parser.ast.ParenExpr;
import dev.runnel.querier.promql.parser.ast.SubqueryExpr;
import dev.runnel.querier.promql.parser.ast.UnaryExpr;
import dev.runnel.querier.promql.parser.ast.VectorSelector;
import java.util.Set;

/**
 * Pins every selector and subquery without {@code @} to a time (selectors inside subqueries are
 * left alone), like Prometheus' test runner does to check that such a query gives the same
 * result whenever it is evaluated. Queries calling functions of the evaluation time are skipped.
 */
final class AtPinning {
  private static final Set<String> TIME_DEPENDENT = Set.of("days_in_month", "day_of_month", "day_of_week",
      "day_of_year", "hour", "minute", "month", "year", "predict_linear", "time", "timestamp");

  private AtPinning() {}

  /** The pinned expression, or null when the query depends on the evaluation time. */
  static Expr pin(Expr e, long ts) {
    return dependsOnTime(e) ? null : rewrite(e, At.timestamp(ts));
  }

  private static boolean dependsOnTime(Expr e) {
    if (e instanceof Call c) {
      return TIME_DEPENDENT.contains(c.function().name()) || c.args().stream().anyMatch(AtPinning::dependsOnTime);
    }
    if (e instanceof ParenExpr p) {
      return dependsOnTime(p.expr());
    }
    if (e instanceof UnaryExpr u) {
      return dependsOnTime(u.expr());
    }
    if (e instanceof BinaryExpr b) {
      return dependsOnTime(b.lhs()) || dependsOnTime(b.rhs());
    }
    if (e instanceof AggregateExpr a) {
      return dependsOnTime(a.expr()) || (a.param() != null && dependsOnTime(a.param()));
    }
    if (e instanceof SubqueryExpr s) {
      return dependsOnTime(s.expr());
    }
    return false;
  }

  private static Expr rewrite(Expr e, At at) {
    if (e instanceof VectorSelector vs) {
      return vs.at() == null ? vs.withAt(at) : vs;
    }
    if (e instanceof MatrixSelector ms) {
      return ms.selector().at() == null ? new MatrixSelector(ms.pos(), ms.selector().withAt(at), ms.rangeMillis()) : ms;
    }
    if (e instanceof SubqueryExpr s) {
      return s.at() == null ? s.withAt(at) : s;
    }
    if (e instanceof ParenExpr p) {
      return new ParenExpr(p.pos(), rewrite(p.expr(), at));
    }
    if (e instanceof UnaryExpr u) {
      return new UnaryExpr(u.pos(), u.negate(), rewrite(u.expr(), at));
    }
    if (e instanceof BinaryExpr b) {
      return new BinaryExpr(b.pos(), b.op(), rewrite(b.lhs(), at), rewrite(b.rhs(), at), b.matching(), b.returnBool());
    }
    if (e instanceof AggregateExpr a) {
      return new AggregateExpr(a.pos(), a.op(), rewrite(a.expr(), at), a.param() == null ? null : rewrite(a.param(), at),
          a.grouping(), a.without());
    }
    if (e instanceof Call c) {
      return new Call(c.pos(), c.function(), c.args().stream().map(x -> rewrite(x, at)).toList());
    }
    return e;
  }
}
