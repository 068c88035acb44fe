package dev.runnel.distributor.otlp;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.nio.charset.StandardCharsets;

/**
 * The responses OTLP/HTTP prescribes (https://opentelemetry.io/docs/specs/otlp/#otlphttp-response),
 * in the request's content type:
 * <ul>
 *   <li>200 with an empty {@code ExportMetricsServiceResponse} when everything was accepted;</li>
 *   <li>200 with {@code partial_success} (rejected data points and the first error) when some were not;</li>
 *   <li>4xx with a {@code google.rpc.Status} when the request as a whole is bad (not retried);</li>
 *   <li>429, 502, 503 or 504 with a {@code google.rpc.Status} when the client should retry; other 5xx
 *       become 503, since OTLP clients retry only those.</li>
 * </ul>
 */
public final class OtlpResponses {

    /** Error messages are cut to this many characters, as Mimir does. */
    static final int MAX_MESSAGE_LENGTH = 1024;

    private OtlpResponses() {
    }

    public static OtlpResponse success(OtlpContentType type) {
        return exportResponse(type, ExportMetricsServiceResponse.getDefaultInstance());
    }

    public static OtlpResponse partialSuccess(OtlpContentType type, long rejectedDataPoints, String errorMessage) {
        return exportResponse(type, ExportMetricsServiceResponse.newBuilder()
                .setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
                        .setRejectedDataPoints(rejectedDataPoints)
                        .setErrorMessage(truncate(errorMessage)))
                .build());
    }

    /**
     * The answer once a translated request was written: success, partial success, or 400 when
     * every data point was rejected (nothing was written, so there is nothing partial about it).
     */
    public static OtlpResponse forTranslation(OtlpContentType type, OtlpTranslation translation) {
        if (translation.firstError() == null) {
            return success(type);
        }
        if (translation.rejectedDataPoints() > 0 && translation.batch().seriesCount() == 0) {
            return failure(type, 400, translation.firstError());
        }
        return partialSuccess(type, translation.rejectedDataPoints(), translation.firstError());
    }

    /** A request that could not be read: 400, 413 or 415 as the exception says. */
    public static OtlpResponse failure(OtlpContentType type, OtlpFormatException e) {
        return failure(type, e.httpStatus(), e.getMessage());
    }

    /** A failure with this HTTP status (4xx or 5xx) and a {@code google.rpc.Status} body. */
    public static OtlpResponse failure(OtlpContentType type, int httpStatus, String message) {
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("a failure needs a 4xx or 5xx status, not " + httpStatus);
        }
        int status = httpStatus >= 500 && httpStatus != 502 && httpStatus != 504 ? 503 : httpStatus;
        return new OtlpResponse(status, type.mediaType(),
                RpcStatus.encode(RpcStatus.codeFor(status), truncate(message), type));
    }

    /** A failure of the server (the log is unavailable, a timeout): 503, which clients retry. */
    public static OtlpResponse serverError(OtlpContentType type, String message) {
        return failure(type, 503, message);
    }

    private static OtlpResponse exportResponse(OtlpContentType type, ExportMetricsServiceResponse response) {
        byte[] body = type == OtlpContentType.JSON
                ? OtlpJson.print(response).getBytes(StandardCharsets.UTF_8)
                : response.toByteArray();
        return new OtlpResponse(200, type.mediaType(), body);
    }

    private static String truncate(String message) {
        return message.length() <= MAX_MESSAGE_LENGTH ? message : message.substring(0, MAX_MESSAGE_LENGTH);
    }
}
