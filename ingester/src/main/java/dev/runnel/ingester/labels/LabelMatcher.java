package dev.runnel.ingester.labels;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One of PromQL's label matchers: {@code name="v"}, {@code name!="v"}, {@code name=~"re"},
 * {@code name!~"re"}. Regular expressions are anchored at both ends and {@code .} matches a
 * newline too, as in Prometheus. A missing label counts as the empty value, so {@code {a=""}}
 * selects the series without a label {@code a}. (Java's regex dialect stands in for RE2; the
 * syntax PromQL users write is the same in both.)
 */
public final class LabelMatcher {

    public enum Type {
        EQUAL("="), NOT_EQUAL("!="), REGEX("=~"), NOT_REGEX("!~");

        private final String operator;

        Type(String operator) {
            this.operator = operator;
        }
    }

    private final Type type;
    private final String name;
    private final String value;
    private final Pattern pattern;
    private final List<String> literals;

    private LabelMatcher(Type type, String name, String value) {
        this.type = Objects.requireNonNull(type, "type");
        this.name = Objects.requireNonNull(name, "name");
        this.value = Objects.requireNonNull(value, "value");
        boolean regex = type == Type.REGEX || type == Type.NOT_REGEX;
        if (regex) {
            try {
                // RE2's named groups (?P<name>...) are (?<name>...) in Java.
                this.pattern = Pattern.compile("(?:" + value.replace("(?P<", "(?<") + ")", Pattern.DOTALL);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("label matcher " + name + type.operator + "\"" + value
                        + "\" has an invalid regular expression: " + e.getDescription(), e);
            }
        } else {
            this.pattern = null;
        }
        this.literals = regex ? literalAlternatives(value) : List.of(value);
    }

    public static LabelMatcher of(Type type, String name, String value) {
        return new LabelMatcher(type, name, value);
    }

    public static LabelMatcher equal(String name, String value) {
        return new LabelMatcher(Type.EQUAL, name, value);
    }

    public static LabelMatcher notEqual(String name, String value) {
        return new LabelMatcher(Type.NOT_EQUAL, name, value);
    }

    public static LabelMatcher regex(String name, String regex) {
        return new LabelMatcher(Type.REGEX, name, regex);
    }

    public static LabelMatcher notRegex(String name, String regex) {
        return new LabelMatcher(Type.NOT_REGEX, name, regex);
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

    /** Whether a series whose label {@link #name()} has {@code labelValue} ("" if absent) is selected. */
    public boolean matches(String labelValue) {
        return switch (type) {
            case EQUAL -> value.equals(labelValue);
            case NOT_EQUAL -> !value.equals(labelValue);
            case REGEX -> pattern.matcher(labelValue).matches();
            case NOT_REGEX -> !pattern.matcher(labelValue).matches();
        };
    }

    /**
     * The values that make the positive form of this matcher ({@code =} or {@code =~}) true, when
     * they are a finite list ({@code =}, or a regex like {@code a|b|c} of plain characters), or
     * null when every value of the label has to be tested.
     */
    public List<String> literalValues() {
        return literals;
    }

    private static List<String> literalAlternatives(String regex) {
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            boolean plain = Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == ':' || c == '/' || c == ' ' || c == '|';
            if (!plain) {
                return null;
            }
        }
        return List.of(regex.split("\\|", -1));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelMatcher m && m.type == type && m.name.equals(name) && m.value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, name, value);
    }

    @Override
    public String toString() {
        return name + type.operator + "\"" + value + "\"";
    }
}
