package dev.runnel.log.agent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The topic configs an agent knows, with Kafka's defaults. Only these can be set at topic
 * creation; any other key is refused (INVALID_CONFIG) rather than silently ignored.
 */
final class TopicConfigs {
    static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("cleanup.policy", "delete");
        defaults.put("retention.ms", "604800000");
        defaults.put("retention.bytes", "-1");
        defaults.put("max.message.bytes", String.valueOf(ProduceHandler.MAX_BATCH_BYTES));
        defaults.put("message.timestamp.type", "CreateTime");
        defaults.put("min.insync.replicas", "1");
        DEFAULTS = Map.copyOf(defaults);
    }

    private TopicConfigs() {
    }

    /** Why {@code configs} cannot be set on a topic, or empty when they can. */
    static Optional<String> invalidReason(Map<String, String> configs) {
        for (Map.Entry<String, String> config : configs.entrySet()) {
            String key = config.getKey();
            if (!DEFAULTS.containsKey(key)) {
                return Optional.of("topic config " + key + " is not supported; supported: " + String.join(", ", DEFAULTS.keySet()));
            }
            String value = config.getValue();
            if (value == null) {
                return Optional.of("topic config " + key + " must have a value");
            }
            if (key.equals("cleanup.policy") && !value.equals("delete")) {
                return Optional.of("cleanup.policy " + value + " is not supported: only delete");
            }
            if (key.equals("message.timestamp.type") && !value.equals("CreateTime")) {
                return Optional.of("message.timestamp.type " + value + " is not supported: only CreateTime");
            }
            if (key.startsWith("retention.") || key.equals("max.message.bytes") || key.equals("min.insync.replicas")) {
                try {
                    Long.parseLong(value);
                } catch (NumberFormatException e) {
                    return Optional.of("topic config " + key + " must be a whole number: " + value);
                }
            }
        }
        return Optional.empty();
    }
}
