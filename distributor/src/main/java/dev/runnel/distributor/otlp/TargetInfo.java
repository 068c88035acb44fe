package dev.runnel.distributor.otlp;

import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The {@code target_info} series of a resource, as Prometheus writes it: value 1, labelled with
 * {@code job}, {@code instance} and the resource's other attributes (the identifying ones too when
 * the tenant keeps them). None when the resource has no attribute besides the identifying ones,
 * or neither {@code job} nor {@code instance}.
 *
 * <p>Samples run from the resource's earliest to its latest data point every half lookback delta
 * (2.5 minutes), so a join on {@code target_info} finds it at every point in between; at most
 * {@link #MAX_SAMPLES}, the latest ones, so old timestamps in a request cannot multiply them.
 */
final class TargetInfo {

    static final String NAME = "target_info";
    static final long INTERVAL_MILLIS = 150_000;
    static final int MAX_SAMPLES = 64;

    private TargetInfo() {
    }

    static void add(ResourceLabels resource, boolean keepIdentifying, LabelNamer namer, long earliestMillis,
                    long latestMillis, SeriesSet out) throws RejectedPoint {
        List<KeyValue> attributes = new ArrayList<>(resource.attributes.size());
        boolean other = false;
        for (KeyValue kv : resource.attributes) {
            boolean identifying = ResourceLabels.IDENTIFYING.contains(kv.getKey());
            other |= !identifying;
            if (keepIdentifying || !identifying) {
                attributes.add(kv);
            }
        }
        if (!other || (resource.job == null && resource.instance == null)) {
            return;
        }
        TreeMap<String, String> labels = PointLabeler.attributeLabels(attributes, namer);
        if (resource.job != null) {
            labels.put("job", resource.job);
        }
        if (resource.instance != null) {
            labels.put("instance", resource.instance);
        }
        labels.put("__name__", NAME);
        SeriesSet.Series series = out.get(Labels.of(labels));
        long first = Math.max(earliestMillis, latestMillis - (MAX_SAMPLES - 1) * INTERVAL_MILLIS);
        for (long t = first; t < latestMillis; t += INTERVAL_MILLIS) {
            series.sample(t, 1);
        }
        series.sample(latestMillis, 1);
    }
}
