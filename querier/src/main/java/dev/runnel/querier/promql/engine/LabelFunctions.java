package dev.runnel.querier.promql.engine;

import dev.runnel.querier.promql.model.Labels;
import dev.runnel.querier.promql.model.Matcher;
import dev.runnel.querier.promql.model.Strings;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** label_replace and label_join. */
final class LabelFunctions {
  private LabelFunctions() {}

  static List<StepSeries> replace(
      Evaluator ev, List<StepSeries> in, String dst, String replacement, String src, String regex) {
    Pattern pattern;
    try {
      pattern = Pattern.compile("^(?:" + Matcher.goToJavaRegex(regex) + ")$");
    } catch (PatternSyntaxException e) {
      throw QueryException.execution("invalid regular expression in label_replace(): " + regex);
    }
    if (!Strings.isValidLabelName(dst)) {
      throw QueryException.execution("invalid destination label name in label_replace(): " + dst);
    }
    VectorBuilder out = new VectorBuilder(ev.steps);
    for (StepSeries s : in) {
      java.util.regex.Matcher m = pattern.matcher(s.labels.get(src));
      Labels labels = s.labels;
      if (m.matches()) {
        labels = s.labels.toBuilder().set(dst, expand(replacement, m)).build();
      }
      out.add(labels, s.values, s.present, s.histograms);
    }
    return out.build(ev.ctx);
  }

  static List<StepSeries> join(Evaluator ev, List<StepSeries> in, String dst, String separator, List<String> sources) {
    if (!Strings.isValidLabelName(dst)) {
      throw QueryException.execution("invalid destination label name in label_join(): " + dst);
    }
    for (String src : sources) {
      if (!Strings.isValidLabelName(src)) {
        throw QueryException.execution("invalid source label name in label_join(): " + src);
      }
    }
    VectorBuilder out = new VectorBuilder(ev.steps);
    for (StepSeries s : in) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < sources.size(); i++) {
        if (i > 0) {
          sb.append(separator);
        }
        sb.append(s.labels.get(sources.get(i)));
      }
      out.add(s.labels.toBuilder().set(dst, sb.toString()).build(), s.values, s.present, s.histograms);
    }
    return out.build(ev.ctx);
  }

  /**
   * Go's regexp template expansion: {@code $1}, {@code ${1}}, {@code $name}, {@code ${name}}
   * and {@code $$}; a name is the longest run of letters, digits and underscores, and unknown
   * groups expand to nothing.
   */
  static String expand(String template, java.util.regex.Matcher m) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c != '$' || i + 1 >= template.length()) {
        sb.append(c);
        i++;
        continue;
      }
      char n = template.charAt(i + 1);
      if (n == '$') {
        sb.append('$');
        i += 2;
        continue;
      }
      String name;
      int end;
      if (n == '{') {
        int close = template.indexOf('}', i + 2);
        name = close < 0 ? "" : template.substring(i + 2, close);
        end = close + 1;
        if (close < 0 || name.isEmpty() || !isName(name)) {
          sb.append('$');
          i++;
          continue;
        }
      } else {
        end = i + 1;
        while (end < template.length() && isNameChar(template.charAt(end))) {
          end++;
        }
        name = template.substring(i + 1, end);
        if (name.isEmpty()) {
          sb.append('$');
          i++;
          continue;
        }
      }
      sb.append(group(m, name));
      i = end;
    }
    return sb.toString();
  }

  private static String group(java.util.regex.Matcher m, String name) {
    String g = null;
    if (name.chars().allMatch(Character::isDigit)) {
      try {
        int idx = Integer.parseInt(name);
        if (idx <= m.groupCount()) {
          g = m.group(idx);
        }
      } catch (NumberFormatException e) {
        g = null;
      }
    } else {
      try {
        g = m.group(name);
      } catch (IllegalArgumentException e) {
        g = null;
      }
    }
    return g == null ? "" : g;
  }

  private static boolean isName(String s) {
    return s.chars().allMatch(ch -> isNameChar((char) ch));
  }

  private static boolean isNameChar(char c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }
}
