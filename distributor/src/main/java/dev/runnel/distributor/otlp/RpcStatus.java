package dev.runnel.distributor.otlp;

import com.google.gson.JsonObject;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A {@code google.rpc.Status} (code = 1, message = 2; no details), the body of OTLP/HTTP error
 * responses. Written by hand: the message is two fields and not worth a dependency on the
 * common protos.
 */
final class RpcStatus {

    static final int INVALID_ARGUMENT = 3;
    static final int RESOURCE_EXHAUSTED = 8;
    static final int INTERNAL = 13;
    static final int UNAVAILABLE = 14;

    private RpcStatus() {
    }

    /** The gRPC code that goes with an HTTP status, as the gRPC HTTP mapping pairs them. */
    static int codeFor(int httpStatus) {
        return switch (httpStatus) {
            case 429 -> RESOURCE_EXHAUSTED;
            case 502, 503, 504 -> UNAVAILABLE;
            default -> httpStatus >= 500 ? INTERNAL : INVALID_ARGUMENT;
        };
    }

    static byte[] encode(int code, String message, OtlpContentType type) {
        if (type == OtlpContentType.JSON) {
            JsonObject json = new JsonObject();
            json.addProperty("code", code);
            json.addProperty("message", message);
            return json.toString().getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(message.length() + 8);
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            if (code != 0) {
                out.writeInt32(1, code);
            }
            if (!message.isEmpty()) {
                out.writeString(2, message);
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }
}
