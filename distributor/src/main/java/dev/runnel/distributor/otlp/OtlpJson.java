package dev.runnel.distributor.otlp;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * OTLP/JSON: the protobuf JSON mapping (lowerCamelCase names, enums as integers, 64-bit integers
 * as numbers or strings) with one exception the generic mapping does not know: trace and span
 * ids are hex strings, not base64. Ids are rewritten to base64 in the parsed tree before the
 * protobuf parser sees it. Unknown fields are ignored, as the OTLP specification requires.
 */
final class OtlpJson {

    private static final Set<String> ID_FIELDS = Set.of("traceId", "spanId", "trace_id", "span_id");
    /** Strict: Gson's own parse methods would accept comments, unquoted names and trailing text. */
    private static final Gson GSON = new GsonBuilder().setStrictness(Strictness.STRICT).create();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private OtlpJson() {
    }

    static ExportMetricsServiceRequest parse(String json) throws OtlpFormatException {
        try {
            JsonElement tree = GSON.fromJson(json, JsonElement.class);
            if (tree == null) {
                throw new OtlpFormatException(400, "the request body is empty: it must be an OTLP/JSON "
                        + "ExportMetricsServiceRequest");
            }
            hexIdsToBase64(tree);
            ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
            PARSER.merge(tree.toString(), request);
            return request.build();
        } catch (JsonParseException | InvalidProtocolBufferException | IllegalStateException e) {
            throw new OtlpFormatException(400, "the request body is not a valid OTLP/JSON ExportMetricsServiceRequest: "
                    + e.getMessage(), e);
        }
    }

    static String print(Message message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            // Only Any fields with unknown types fail to print, and responses have none.
            throw new IllegalStateException("cannot print " + message.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static void hexIdsToBase64(JsonElement element) throws OtlpFormatException {
        if (element.isJsonArray()) {
            for (JsonElement item : (JsonArray) element) {
                hexIdsToBase64(item);
            }
        } else if (element.isJsonObject()) {
            JsonObject object = (JsonObject) element;
            for (Map.Entry<String, JsonElement> field : object.entrySet()) {
                if (ID_FIELDS.contains(field.getKey()) && field.getValue().isJsonPrimitive()) {
                    field.setValue(new JsonPrimitive(base64(field.getKey(), field.getValue().getAsString())));
                } else {
                    hexIdsToBase64(field.getValue());
                }
            }
        }
    }

    private static String base64(String field, String hex) throws OtlpFormatException {
        try {
            return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new OtlpFormatException(400, "exemplar " + field + " \"" + hex
                    + "\" is invalid: OTLP/JSON ids must be hex strings");
        }
    }
}
