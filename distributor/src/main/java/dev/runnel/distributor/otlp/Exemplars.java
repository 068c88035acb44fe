package dev.runnel.distributor.otlp;

import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * OTLP exemplars as Prometheus exemplars: {@code trace_id} and {@code span_id} in hex, then the
 * filtered attributes, which are left out if they would take the labels past OpenMetrics' limit of
 * 128 characters.
 */
final class Exemplars {

    static final int MAX_LABEL_CHARACTERS = 128;

    private Exemplars() {
    }

    static List<dev.runnel.distributor.write.Exemplar> convert(List<io.opentelemetry.proto.metrics.v1.Exemplar> exemplars,
                                                               LabelNamer namer) throws RejectedPoint {
        if (exemplars.isEmpty()) {
            return List.of();
        }
        List<dev.runnel.distributor.write.Exemplar> out = new ArrayList<>(exemplars.size());
        for (io.opentelemetry.proto.metrics.v1.Exemplar e : exemplars) {
            out.add(convert(e, namer));
        }
        return out;
    }

    private static dev.runnel.distributor.write.Exemplar convert(io.opentelemetry.proto.metrics.v1.Exemplar e,
                                                                 LabelNamer namer) throws RejectedPoint {
        double value = switch (e.getValueCase()) {
            case AS_DOUBLE -> e.getAsDouble();
            case AS_INT -> e.getAsInt();
            case VALUE_NOT_SET -> throw new RejectedPoint("an exemplar has no value");
        };
        List<String> labels = new ArrayList<>(4 + 2 * e.getFilteredAttributesCount());
        int characters = 0;
        if (!e.getTraceId().isEmpty()) {
            characters += add(labels, "trace_id", HexFormat.of().formatHex(e.getTraceId().toByteArray()));
        }
        if (!e.getSpanId().isEmpty()) {
            characters += add(labels, "span_id", HexFormat.of().formatHex(e.getSpanId().toByteArray()));
        }
        List<String> attributes = new ArrayList<>(2 * e.getFilteredAttributesCount());
        for (KeyValue kv : e.getFilteredAttributesList()) {
            String name = namer.build(kv.getKey());
            if (name != null) {
                characters += add(attributes, name, AttributeValues.asString(kv.getValue()));
            }
        }
        if (characters <= MAX_LABEL_CHARACTERS) {
            labels.addAll(attributes);
        }
        return new dev.runnel.distributor.write.Exemplar(labels, value, Points.millis(e.getTimeUnixNano()));
    }

    private static int add(List<String> labels, String name, String value) {
        labels.add(name);
        labels.add(value);
        return name.codePointCount(0, name.length()) + value.codePointCount(0, value.length());
    }
}
