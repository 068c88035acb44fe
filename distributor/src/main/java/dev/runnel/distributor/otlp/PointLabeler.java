package dev.runnel.distributor.otlp;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the labels of the series of one resource and scope, as Prometheus' translator does,
 * later steps winning over earlier ones:
 * <ol>
 *   <li>the data point's attributes, named by {@link LabelNamer}; attributes whose names collide
 *       once sanitized are joined with {@code ;} in the order of their original keys;</li>
 *   <li>promoted resource attributes, where the point has no label of that name;</li>
 *   <li>the scope labels, when the tenant promotes scope metadata;</li>
 *   <li>{@code job} and {@code instance};</li>
 *   <li>{@code __name__} and the converter's own label ({@code le}, {@code quantile}).</li>
 * </ol>
 */
final class PointLabeler {

    private static final Comparator<KeyValue> BY_KEY = Comparator.comparing(KeyValue::getKey);

    private final ResourceLabels resource;
    private final Map<String, String> scopeLabels;
    private final LabelNamer namer;

    PointLabeler(ResourceLabels resource, Map<String, String> scopeLabels, LabelNamer namer) {
        this.resource = resource;
        this.scopeLabels = scopeLabels;
        this.namer = namer;
    }

    /** The scope labels to promote: none if the scope has no name. */
    static Map<String, String> scopeLabels(InstrumentationScope scope, String schemaUrl, LabelNamer namer) {
        Map<String, String> labels = new TreeMap<>();
        if (scope.getName().isEmpty()) {
            return labels;
        }
        labels.put("otel_scope_name", scope.getName());
        labels.put("otel_scope_version", scope.getVersion());
        labels.put("otel_scope_schema_url", schemaUrl);
        for (KeyValue kv : scope.getAttributesList()) {
            String name = namer.build("otel_scope_" + kv.getKey());
            if (name != null) {
                labels.put(name, AttributeValues.asString(kv.getValue()));
            }
        }
        return labels;
    }

    LabelNamer namer() {
        return namer;
    }

    /** The labels every series of a data point shares: all but {@code __name__} and the converter's own. */
    TreeMap<String, String> base(List<KeyValue> attributes) throws RejectedPoint {
        TreeMap<String, String> labels = attributeLabels(attributes, namer);
        for (Map.Entry<String, String> promoted : resource.promoted.entrySet()) {
            labels.putIfAbsent(promoted.getKey(), promoted.getValue());
        }
        labels.putAll(scopeLabels);
        if (resource.job != null) {
            labels.put("job", resource.job);
        }
        if (resource.instance != null) {
            labels.put("instance", resource.instance);
        }
        return labels;
    }

    /** The labels of one series: {@code base} with its name. */
    static Labels series(TreeMap<String, String> base, String name) {
        TreeMap<String, String> labels = new TreeMap<>(base);
        labels.put("__name__", name);
        return Labels.of(labels);
    }

    /** The labels of one series: {@code base} with its name and one more label. */
    static Labels series(TreeMap<String, String> base, String name, String label, String value) {
        TreeMap<String, String> labels = new TreeMap<>(base);
        labels.put(label, value);
        labels.put("__name__", name);
        return Labels.of(labels);
    }

    /** Attributes as labels: names sanitized, values of colliding names joined with ";" in key order. */
    static TreeMap<String, String> attributeLabels(List<KeyValue> attributes, LabelNamer namer) throws RejectedPoint {
        List<KeyValue> sorted = attributes;
        if (!isSorted(attributes)) {
            sorted = new ArrayList<>(attributes);
            sorted.sort(BY_KEY);
        }
        TreeMap<String, String> labels = new TreeMap<>();
        for (KeyValue kv : sorted) {
            String name = namer.build(kv.getKey());
            if (name == null) {
                throw new RejectedPoint("attribute \"" + kv.getKey() + "\" gives no valid label name: "
                        + "a label name must contain a character of [a-zA-Z0-9]");
            }
            labels.merge(name, AttributeValues.asString(kv.getValue()), (a, b) -> a + ";" + b);
        }
        return labels;
    }

    private static boolean isSorted(List<KeyValue> attributes) {
        for (int i = 1; i < attributes.size(); i++) {
            if (BY_KEY.compare(attributes.get(i - 1), attributes.get(i)) > 0) {
                return false;
            }
        }
        return true;
    }
}
