package dev.runnel.ingester.head;

import dev.runnel.ingester.chunk.SampleIterator;
import dev.runnel.ingester.labels.LabelMatcher;
import dev.runnel.ingester.labels.Labels;
import dev.runnel.ingester.query.MetricMetadata;
import dev.runnel.ingester.query.Querier;
import dev.runnel.ingester.query.SeriesSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/** Queries over one tenant's head, lock-free beside the appender (see {@link TenantHead}). */
final class HeadQuerier implements Querier {

    private final PostingsIndex index;
    private final SeriesRefs refs;
    private final Map<String, TenantHead.StoredMetadata> metadata;

    HeadQuerier(PostingsIndex index, SeriesRefs refs, Map<String, TenantHead.StoredMetadata> metadata) {
        this.index = index;
        this.refs = refs;
        this.metadata = metadata;
    }

    @Override
    public SeriesSet select(long minT, long maxT, List<LabelMatcher> matchers) {
        MemSeries[] selected = sortedByLabels(index.select(matchers));
        return new SeriesSet() {
            private int position = -1;
            private Labels labels;
            private MergingIterator samples;

            @Override
            public boolean next() {
                while (++position < selected.length) {
                    MemSeries s = selected[position];
                    MergingIterator it = new MergingIterator(s.chunks, s.outOfOrderChunks, minT, maxT);
                    if (!it.isEmpty()) {
                        labels = s.labels();
                        samples = it;
                        return true;
                    }
                }
                labels = null;
                samples = null;
                return false;
            }

            @Override
            public Labels labels() {
                return labels;
            }

            @Override
            public SampleIterator samples() {
                return samples;
            }
        };
    }

    /** The live series among {@code selected}, sorted by labels as Prometheus' TSDB returns them. */
    private MemSeries[] sortedByLabels(int[] selected) {
        MemSeries[] series = new MemSeries[selected.length];
        int n = 0;
        for (int ref : selected) {
            MemSeries s = refs.get(ref);
            if (s != null) {
                series[n++] = s;
            }
        }
        series = n == series.length ? series : Arrays.copyOf(series, n);
        Arrays.sort(series, (a, b) -> Labels.comparePairs(a.pairs, b.pairs));
        return series;
    }

    @Override
    public List<String> labelNames(List<LabelMatcher> matchers) {
        if (matchers.isEmpty()) {
            return index.names();
        }
        TreeSet<String> names = new TreeSet<>();
        forEachSelected(matchers, l -> {
            for (int i = 0; i < l.size(); i++) {
                names.add(l.name(i));
            }
        });
        return new ArrayList<>(names);
    }

    @Override
    public List<String> labelValues(String name, List<LabelMatcher> matchers) {
        if (matchers.isEmpty()) {
            return index.values(name);
        }
        TreeSet<String> values = new TreeSet<>();
        forEachSelected(matchers, l -> {
            String v = l.get(name);
            if (!v.isEmpty()) {
                values.add(v);
            }
        });
        return new ArrayList<>(values);
    }

    private void forEachSelected(List<LabelMatcher> matchers, Consumer<Labels> action) {
        for (int ref : index.select(matchers)) {
            MemSeries s = refs.get(ref);
            if (s != null) {
                action.accept(s.labels());
            }
        }
    }

    @Override
    public List<MetricMetadata> metadata(String family) {
        if (family != null) {
            TenantHead.StoredMetadata m = metadata.get(family);
            return m == null ? List.of() : List.of(m.metadata());
        }
        List<MetricMetadata> all = new ArrayList<>();
        for (TenantHead.StoredMetadata m : metadata.values()) {
            all.add(m.metadata());
        }
        all.sort((a, b) -> a.family().compareTo(b.family()));
        return all;
    }
}
