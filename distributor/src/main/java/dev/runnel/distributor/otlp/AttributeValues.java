package dev.runnel.distributor.otlp;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.Base64;

/**
 * Attribute values as label values, as the collector's {@code Value.AsString} writes them:
 * strings as they are, booleans and integers in decimal, doubles as JavaScript prints them, bytes
 * in base64, arrays and maps as JSON.
 */
final class AttributeValues {

    private AttributeValues() {
    }

    static String asString(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case INT_VALUE -> Long.toString(value.getIntValue());
            case DOUBLE_VALUE -> FloatFormat.javascript(value.getDoubleValue());
            case BYTES_VALUE -> Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray());
            case ARRAY_VALUE, KVLIST_VALUE -> json(value).toString();
            // String table indices belong to profiles; metrics never use them.
            case STRING_VALUE_STRINDEX, VALUE_NOT_SET -> "";
        };
    }

    private static JsonElement json(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> new JsonPrimitive(value.getStringValue());
            case BOOL_VALUE -> new JsonPrimitive(value.getBoolValue());
            case INT_VALUE -> new JsonPrimitive(value.getIntValue());
            case DOUBLE_VALUE -> Double.isFinite(value.getDoubleValue())
                    ? new JsonPrimitive(value.getDoubleValue()) : new JsonPrimitive(asString(value));
            case BYTES_VALUE -> new JsonPrimitive(asString(value));
            case ARRAY_VALUE -> {
                JsonArray array = new JsonArray();
                for (AnyValue item : value.getArrayValue().getValuesList()) {
                    array.add(json(item));
                }
                yield array;
            }
            case KVLIST_VALUE -> {
                JsonObject object = new JsonObject();
                for (KeyValue kv : value.getKvlistValue().getValuesList()) {
                    object.add(kv.getKey(), json(kv.getValue()));
                }
                yield object;
            }
            case STRING_VALUE_STRINDEX, VALUE_NOT_SET -> JsonNull.INSTANCE;
        };
    }
}
