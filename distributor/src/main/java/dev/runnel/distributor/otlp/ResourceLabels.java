package dev.runnel.distributor.otlp;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one resource contributes to its series' labels: {@code job} from {@code service.namespace}
 * and {@code service.name} ({@code namespace/name}), {@code instance} from
 * {@code service.instance.id}, and the resource attributes the tenant promotes.
 */
final class ResourceLabels {

    static final String SERVICE_NAME = "service.name";
    static final String SERVICE_NAMESPACE = "service.namespace";
    static final String SERVICE_INSTANCE_ID = "service.instance.id";
    static final Set<String> IDENTIFYING = Set.of(SERVICE_NAME, SERVICE_NAMESPACE, SERVICE_INSTANCE_ID);

    final List<KeyValue> attributes;
    /** Null when the resource has no {@code service.name}. */
    final String job;
    /** Null when the resource has no {@code service.instance.id}. */
    final String instance;
    /** Promoted attributes by label name; a data point's own attributes win over them. */
    final TreeMap<String, String> promoted = new TreeMap<>();

    ResourceLabels(Resource resource, OtlpOptions options, LabelNamer namer) {
        this.attributes = resource.getAttributesList();
        String name = null;
        String namespace = null;
        String instanceId = null;
        for (KeyValue kv : attributes) {
            switch (kv.getKey()) {
                case SERVICE_NAME -> name = AttributeValues.asString(kv.getValue());
                case SERVICE_NAMESPACE -> namespace = AttributeValues.asString(kv.getValue());
                case SERVICE_INSTANCE_ID -> instanceId = AttributeValues.asString(kv.getValue());
                default -> {
                }
            }
            String label = options.promoteResourceAttributes().contains(kv.getKey()) ? namer.build(kv.getKey()) : null;
            if (label != null) {
                promoted.putIfAbsent(label, AttributeValues.asString(kv.getValue()));
            }
        }
        this.job = name == null ? null : namespace == null ? name : namespace + "/" + name;
        this.instance = instanceId;
    }
}
