package dev.runnel.querier.promql.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * An immutable set of label name/value pairs sorted by name, the identity of a series.
 *
 * <p>Names and values live in one flat array ({@code name0, value0, name1, value1, ...}); the hash
 * is computed once, so labels work well as hash map keys when grouping series.
 */
public final class Labels implements Comparable<Labels> {
  /** The label holding the metric name. */
  public static final String METRIC_NAME = "__name__";

  public static final Labels EMPTY = new Labels(new String[0]);

  private final String[] pairs;
  private int hash;

  private Labels(String[] pairs) {
    this.pairs = pairs;
  }

  /** Labels from alternating names and values, in any order; a later duplicate name wins. */
  public static Labels of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("labels need name/value pairs, got an odd count: " + namesAndValues.length);
    }
    Builder b = new Builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      b.set(namesAndValues[i], namesAndValues[i + 1]);
    }
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    for (int i = 0; i < pairs.length; i += 2) {
      b.names.add(pairs[i]);
      b.values.add(pairs[i + 1]);
    }
    return b;
  }

  public int size() {
    return pairs.length / 2;
  }

  public boolean isEmpty() {
    return pairs.length == 0;
  }

  public String name(int i) {
    return pairs[2 * i];
  }

  public String value(int i) {
    return pairs[2 * i + 1];
  }

  /** The value of a label, or "" when absent (Prometheus treats both alike). */
  public String get(String name) {
    for (int i = 0; i < pairs.length; i += 2) {
      int c = pairs[i].compareTo(name);
      if (c == 0) {
        return pairs[i + 1];
      }
      if (c > 0) {
        break;
      }
    }
    return "";
  }

  public boolean has(String name) {
    return !get(name).isEmpty();
  }

  public String metricName() {
    return get(METRIC_NAME);
  }

  /** These labels without the metric name; returns this when there is none. */
  public Labels withoutMetricName() {
    return drop(java.util.Set.of(), true);
  }

  /** Only the labels whose names are listed. */
  public Labels keep(Collection<String> names) {
    int n = 0;
    String[] out = new String[pairs.length];
    for (int i = 0; i < pairs.length; i += 2) {
      if (names.contains(pairs[i])) {
        out[n++] = pairs[i];
        out[n++] = pairs[i + 1];
      }
    }
    return n == pairs.length ? this : new Labels(Arrays.copyOf(out, n));
  }

  /** These labels without the listed names and, when asked, without the metric name. */
  public Labels drop(Collection<String> names, boolean dropMetricName) {
    int n = 0;
    String[] out = new String[pairs.length];
    for (int i = 0; i < pairs.length; i += 2) {
      String name = pairs[i];
      if (!names.contains(name) && !(dropMetricName && name.equals(METRIC_NAME))) {
        out[n++] = name;
        out[n++] = pairs[i + 1];
      }
    }
    return n == pairs.length ? this : new Labels(Arrays.copyOf(out, n));
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    return o instanceof Labels other && other.hashCode() == hashCode() && Arrays.equals(pairs, other.pairs);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(pairs);
      hash = h == 0 ? 1 : h;
    }
    return hash;
  }

  /** Prometheus' order: pair by pair by name then value; a prefix sorts first. */
  @Override
  public int compareTo(Labels o) {
    int n = Math.min(pairs.length, o.pairs.length);
    for (int i = 0; i < n; i++) {
      int c = pairs[i].compareTo(o.pairs[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(pairs.length, o.pairs.length);
  }

  /** Prometheus' text form: {@code {__name__="up", job="a"}}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < pairs.length; i += 2) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(pairs[i]).append('=');
      Strings.appendQuoted(sb, pairs[i + 1]);
    }
    return sb.append('}').toString();
  }

  /** A mutable set of labels; {@link #set} with an empty value deletes, as in Prometheus. */
  public static final class Builder {
    private final List<String> names = new ArrayList<>();
    private final List<String> values = new ArrayList<>();

    private Builder() {}

    public Builder set(String name, String value) {
      int i = names.indexOf(name);
      if (value.isEmpty()) {
        if (i >= 0) {
          names.remove(i);
          values.remove(i);
        }
      } else if (i >= 0) {
        values.set(i, value);
      } else {
        names.add(name);
        values.add(value);
      }
      return this;
    }

    public Builder delete(String name) {
      return set(name, "");
    }

    public String get(String name) {
      int i = names.indexOf(name);
      return i < 0 ? "" : values.get(i);
    }

    public Labels build() {
      int n = names.size();
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> names.get(a).compareTo(names.get(b)));
      String[] pairs = new String[2 * n];
      for (int i = 0; i < n; i++) {
        pairs[2 * i] = names.get(order[i]);
        pairs[2 * i + 1] = values.get(order[i]);
      }
      return new Labels(pairs);
    }
  }
}
