package dev.runnel.querier.promql.value;

import java.util.List;

/** An instant vector, in the order the query produced it (which matters after sort() or topk()). */
public record Vector(List<Sample> samples) implements Value {
  public Vector {
    samples = List.copyOf(samples);
  }
}
