package dev.runnel.ingester.head;

import dev.runnel.ingester.chunk.SampleIterator;
import dev.runnel.ingester.chunk.ValueType;
import dev.runnel.ingester.labels.LabelMatcher;
import dev.runnel.ingester.labels.Labels;
import dev.runnel.ingester.query.SeriesSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads query results into plain collections for assertions. */
final class HeadTestSupport {

    private HeadTestSupport() {
    }

    static List<Labels> labels(TenantHead head, LabelMatcher... matchers) {
        SeriesSet set = head.querier().select(Long.MIN_VALUE, Long.MAX_VALUE, List.of(matchers));
        List<Labels> out = new ArrayList<>();
        while (set.next()) {
            out.add(set.labels());
        }
        return out;
    }

    /** Series → list of {timestamp, value} of float samples in [minT, maxT]. */
    static Map<Labels, List<double[]>> samples(TenantHead head, long minT, long maxT, LabelMatcher... matchers) {
        SeriesSet set = head.querier().select(minT, maxT, List.of(matchers));
        Map<Labels, List<double[]>> out = new LinkedHashMap<>();
        while (set.next()) {
            List<double[]> samples = new ArrayList<>();
            SampleIterator it = set.samples();
            while (it.next() == ValueType.FLOAT) {
                samples.add(new double[] {it.timestamp(), it.value()});
            }
            out.put(set.labels(), samples);
        }
        return out;
    }

    static List<Long> timestamps(TenantHead head, Labels series) {
        List<double[]> samples = samples(head, Long.MIN_VALUE, Long.MAX_VALUE, matchersFor(series)).get(series);
        List<Long> out = new ArrayList<>();
        if (samples != null) {
            for (double[] s : samples) {
                out.add((long) s[0]);
            }
        }
        return out;
    }

    static LabelMatcher[] matchersFor(Labels labels) {
        LabelMatcher[] m = new LabelMatcher[labels.size()];
        for (int i = 0; i < m.length; i++) {
            m[i] = LabelMatcher.equal(labels.name(i), labels.value(i));
        }
        return m;
    }
}
