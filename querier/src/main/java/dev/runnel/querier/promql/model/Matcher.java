package dev.runnel.querier.promql.model;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A label matcher: {@code name = value}, {@code !=}, {@code =~} or {@code !~}.
 *
 * <p>Regular expressions are anchored at both ends, as in Prometheus ({@code ^(?:re)$}). Like
 * Prometheus' FastRegexMatcher, literal regexes, alternations of literals ({@code a|b|c}) and
 * literal prefixes ({@code abc.*}) are matched without running the regex engine.
 */
public final class Matcher {
  /** The four match operators. */
  public enum Type {
    EQUAL("="),
    NOT_EQUAL("!="),
    REGEX("=~"),
    NOT_REGEX("!~");

    private final String symbol;

    Type(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }
  }

  private final Type type;
  private final String name;
  private final String value;
  private final Pattern pattern;
  private final Set<String> literals;
  private final String prefix;

  private Matcher(Type type, String name, String value) {
    this.type = type;
    this.name = name;
    this.value = value;
    Pattern p = null;
    Set<String> lits = null;
    String pre = null;
    if (type == Type.REGEX || type == Type.NOT_REGEX) {
      lits = literalAlternatives(value);
      if (lits == null) {
        pre = literalPrefixOfDotStar(value);
        if (pre == null) {
          p = Pattern.compile("^(?:" + goToJavaRegex(value) + ")$");
        }
      }
    }
    this.pattern = p;
    this.literals = lits;
    this.prefix = pre;
  }

  /** A matcher; regex syntax errors become {@link IllegalArgumentException}s naming the regex. */
  public static Matcher of(Type type, String name, String value) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    try {
      return new Matcher(type, name, value);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("invalid regular expression " + Strings.quote(value) + ": " + e.getDescription(), e);
    }
  }

  public static Matcher equal(String name, String value) {
    return of(Type.EQUAL, name, value);
  }

  public Type type() {
    return type;
  }

  public String name() {
    return name;
  }

  public String value() {
    return value;
  }

  public boolean matches(String v) {
    return switch (type) {
      case EQUAL -> value.equals(v);
      case NOT_EQUAL -> !value.equals(v);
      case REGEX -> regexMatches(v);
      case NOT_REGEX -> !regexMatches(v);
    };
  }

  /** Whether this matcher accepts the empty string, i.e. series without the label. */
  public boolean matchesEmpty() {
    return matches("");
  }

  private boolean regexMatches(String v) {
    if (literals != null) {
      return literals.contains(v);
    }
    if (prefix != null) {
      return v.startsWith(prefix) && v.indexOf('\n', prefix.length()) < 0;
    }
    return pattern.matcher(v).matches();
  }

  /** Translates the RE2 syntax Prometheus accepts where Java differs: named groups. */
  public static String goToJavaRegex(String re) {
    return re.replace("(?P<", "(?<");
  }

  private static boolean isLiteral(String s) {
    for (int i = 0; i < s.length(); i++) {
      if ("\\.+*?()[]{}^$|".indexOf(s.charAt(i)) >= 0) {
        return false;
      }
    }
    return true;
  }

  private static Set<String> literalAlternatives(String re) {
    String[] parts = re.split("\\|", -1);
    Set<String> out = new HashSet<>();
    for (String part : parts) {
      if (!isLiteral(part)) {
        return null;
      }
      out.add(part);
    }
    return out;
  }

  private static String literalPrefixOfDotStar(String re) {
    if (!re.endsWith(".*")) {
      return null;
    }
    String pre = re.substring(0, re.length() - 2);
    return isLiteral(pre) ? pre : null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Matcher m && m.type == type && m.name.equals(name) && m.value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, name, value);
  }

  @Override
  public String toString() {
    return name + type.symbol + Strings.quote(value);
  }
}
