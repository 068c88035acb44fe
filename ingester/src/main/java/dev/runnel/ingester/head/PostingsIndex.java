package dev.runnel.ingester.head;

import dev.runnel.ingester.labels.LabelMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The inverted index: label name → label value → {@link PostingsList}, plus the list of every
 * series. Maps are concurrent so readers iterate while the appender adds; postings lists are
 * append-only and replaced whole when series are removed.
 *
 * <p>Selection follows Prometheus' rules: a matcher that does not match the empty value
 * ({@code a="x"}, {@code a=~"x.*"}) selects the union of the postings of the values it matches,
 * and these are intersected; a matcher that matches the empty value ({@code a=""},
 * {@code a!="x"}, {@code a!~"x"}, {@code a=~".*"}) removes the postings of the values it rejects,
 * so series without the label stay selected. With only matchers of the second kind the
 * selection starts from every series.
 */
final class PostingsIndex {

    private final Map<String, Map<String, PostingsList>> index = new ConcurrentHashMap<>();
    private volatile PostingsList all = new PostingsList();

    /** Adds a new series (its sorted names and values), whose reference is larger than any added before. */
    void add(int ref, String[] pairs) {
        for (int i = 0; i < pairs.length; i += 2) {
            Map<String, PostingsList> values = index.get(pairs[i]);
            if (values == null) {
                values = new ConcurrentHashMap<>();
                index.put(pairs[i], values);
            }
            PostingsList list = values.get(pairs[i + 1]);
            if (list == null) {
                list = new PostingsList();
                values.put(pairs[i + 1], list);
            }
            list.add(ref);
        }
        all.add(ref);
    }

    /** Removes series (sorted references) with their labels, rebuilding each affected list once. */
    void remove(int[] refs, List<String[]> labels) {
        Map<String, Set<String>> affected = new HashMap<>();
        for (String[] pairs : labels) {
            for (int i = 0; i < pairs.length; i += 2) {
                affected.computeIfAbsent(pairs[i], k -> new HashSet<>()).add(pairs[i + 1]);
            }
        }
        affected.forEach((name, affectedValues) -> {
            Map<String, PostingsList> values = index.get(name);
            for (String value : affectedValues) {
                PostingsList rest = values.get(value).without(refs);
                if (rest == null) {
                    values.remove(value);
                } else {
                    values.put(value, rest);
                }
            }
            if (values.isEmpty()) {
                index.remove(name);
            }
        });
        PostingsList rest = all.without(refs);
        all = rest == null ? new PostingsList() : rest;
    }

    /** References of the series matching every matcher, sorted. */
    int[] select(List<LabelMatcher> matchers) {
        int[] result = null;
        for (LabelMatcher m : matchers) {
            if (!m.matches("")) {
                int[] matching = matching(m, true);
                result = result == null ? matching : Postings.intersect(result, matching);
                if (result.length == 0) {
                    return result;
                }
            }
        }
        for (LabelMatcher m : matchers) {
            if (m.matches("")) {
                if (result == null) {
                    result = all.toArray();
                }
                result = Postings.subtract(result, matching(m, false));
            }
        }
        return result == null ? all.toArray() : result;
    }

    /** Series with label {@code m.name()} whose value the matcher accepts ({@code accepted}) or rejects. */
    private int[] matching(LabelMatcher m, boolean accepted) {
        Map<String, PostingsList> values = index.get(m.name());
        if (values == null) {
            return new int[0];
        }
        boolean positive = m.type() == LabelMatcher.Type.EQUAL || m.type() == LabelMatcher.Type.REGEX;
        List<String> literals = m.literalValues();
        PostingsList[] lists;
        int count = 0;
        if (literals != null && positive == accepted) {
            // The values the positive form accepts are listed: look them up instead of testing every value.
            lists = new PostingsList[literals.size()];
            for (String v : literals) {
                PostingsList list = values.get(v);
                if (list != null && !Arrays.asList(lists).subList(0, count).contains(list)) {
                    lists[count++] = list;
                }
            }
        } else {
            lists = new PostingsList[values.size() + 16];
            for (Map.Entry<String, PostingsList> e : values.entrySet()) {
                if (m.matches(e.getKey()) == accepted) {
                    if (count == lists.length) {
                        lists = Arrays.copyOf(lists, count * 2);
                    }
                    lists[count++] = e.getValue();
                }
            }
        }
        return Postings.unionDisjoint(lists, count);
    }

    /** Label names in use, sorted. */
    List<String> names() {
        List<String> names = new ArrayList<>(index.keySet());
        names.sort(null);
        return names;
    }

    /** Values of label {@code name} in use, sorted. */
    List<String> values(String name) {
        Map<String, PostingsList> values = index.get(name);
        if (values == null) {
            return List.of();
        }
        List<String> list = new ArrayList<>(values.keySet());
        list.sort(null);
        return list;
    }
}
