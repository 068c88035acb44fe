package dev.runnel.querier.promql.parser.ast;

import java.util.List;

/**
 * How the two vectors of a binary expression are matched: on (or ignoring) which labels, with
 * which cardinality, and which labels {@code group_left/right} copy from the "one" side.
 */
public record VectorMatching(Cardinality card, List<String> matchingLabels, boolean on, List<String> include) {
  /** Matching cardinalities. */
  public enum Cardinality {
    ONE_TO_ONE,
    MANY_TO_ONE,
    ONE_TO_MANY,
    MANY_TO_MANY
  }

  public VectorMatching {
    matchingLabels = List.copyOf(matchingLabels);
    include = List.copyOf(include);
  }

  public static final VectorMatching DEFAULT = new VectorMatching(Cardinality.ONE_TO_ONE, List.of(), false, List.of());

  public VectorMatching withCard(Cardinality c) {
    return new VectorMatching(c, matchingLabels, on, include);
  }
}
