package dev.runnel.distributor.limits;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.runnel.server.config.Durations;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads {@link Limits} from YAML with snake_case keys and Prometheus durations ({@code 10m}).
 * Whatever a block leaves out keeps the value of the limits it is laid over, so a tenant's
 * override names only what differs from the defaults, as in Mimir. Unknown keys are errors: a
 * misspelt limit must not silently keep its default.
 */
public final class LimitsYaml {

    private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .registerModule(new SimpleModule("durations")
                    .addSerializer(Duration.class, new DurationSerializer())
                    .addDeserializer(Duration.class, new DurationDeserializer()));

    private LimitsYaml() {
    }

    /**
     * The limits of {@code block} (the main configuration's {@code limits:} node, or one tenant's
     * overrides) laid over {@code base}; a missing or null block is {@code base} itself.
     *
     * @throws IllegalArgumentException naming the key that is unknown or has a bad value
     */
    public static Limits over(Limits base, JsonNode block) {
        if (block == null || block.isMissingNode() || block.isNull()) {
            return base;
        }
        if (!block.isObject()) {
            throw new IllegalArgumentException("limits must be a mapping of limit names to values, not " + block.getNodeType());
        }
        ObjectNode merged = MAPPER.valueToTree(base);
        merged.setAll((ObjectNode) block);
        try {
            return MAPPER.treeToValue(merged, Limits.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(reason(e), e);
        }
    }

    /**
     * The per-tenant limits of a runtime configuration file: {@code overrides: {tenant: {key: value}}},
     * each laid over {@code defaults}. An empty document has no overrides.
     *
     * @throws IllegalArgumentException saying which tenant's which key is wrong
     */
    public static Map<String, Limits> overrides(String yaml, Limits defaults) {
        JsonNode root;
        try {
            root = MAPPER.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid YAML: " + reason(e), e);
        }
        Map<String, Limits> out = new LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return out;
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("the runtime configuration must be a mapping with the key overrides");
        }
        for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!key.equals("overrides")) {
                throw new IllegalArgumentException("unknown key \"" + key + "\" in the runtime configuration (known: overrides)");
            }
        }
        JsonNode overrides = root.path("overrides");
        if (overrides.isMissingNode() || overrides.isNull()) {
            return out;
        }
        if (!overrides.isObject()) {
            throw new IllegalArgumentException("overrides must map tenant ids to limits, not " + overrides.getNodeType());
        }
        for (Map.Entry<String, JsonNode> tenant : overrides.properties()) {
            try {
                out.put(tenant.getKey(), over(defaults, tenant.getValue()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("overrides of tenant \"" + tenant.getKey() + "\": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** The one line of a Jackson error that says what was wrong, without its source excerpt. */
    private static String reason(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException) {
                return t.getMessage();
            }
        }
        String message = e.getOriginalMessage();
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String field = m.getPath().get(m.getPath().size() - 1).getFieldName();
            if (field != null && !message.contains("\"" + field + "\"")) {
                message = field + ": " + message;
            }
        }
        int cut = message.indexOf(" (class ");
        return cut > 0 ? message.substring(0, cut) : message;
    }

    private static final class DurationSerializer extends JsonSerializer<Duration> {
        @Override
        public void serialize(Duration value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(Durations.format(value));
        }
    }

    private static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            String key = p.currentName();
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getLongValue() == 0) {
                return Duration.ZERO;
            }
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw new IllegalArgumentException(key + " must be a duration such as 250ms, 5s, 2m or 1h: " + p.getText());
            }
            return Durations.parse(key, p.getText());
        }
    }
}
