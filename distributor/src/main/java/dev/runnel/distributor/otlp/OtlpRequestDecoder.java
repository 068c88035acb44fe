package dev.runnel.distributor.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads the body of {@code POST /otlp/v1/metrics}: protobuf or OTLP/JSON, gzip-compressed or
 * not. Every failure is an {@link OtlpFormatException} carrying the status to answer: 415 for a
 * content type or encoding it does not accept, 413 for a body larger than the limit once
 * decompressed, 400 for a body that does not parse.
 */
public final class OtlpRequestDecoder {

    private OtlpRequestDecoder() {
    }

    /**
     * @param contentType     the request's Content-Type header
     * @param contentEncoding the request's Content-Encoding header, null or empty for none
     * @param maxBodyBytes    the largest body accepted, after decompression
     */
    public static ExportMetricsServiceRequest decode(byte[] body, String contentType, String contentEncoding,
                                                     int maxBodyBytes) throws OtlpFormatException {
        OtlpContentType type = OtlpContentType.of(contentType);
        byte[] raw = decompress(body, contentEncoding, maxBodyBytes);
        if (type == OtlpContentType.JSON) {
            return OtlpJson.parse(new String(raw, StandardCharsets.UTF_8));
        }
        try {
            return ExportMetricsServiceRequest.parseFrom(raw);
        } catch (InvalidProtocolBufferException e) {
            throw new OtlpFormatException(400, "the request body is not a valid protobuf ExportMetricsServiceRequest: "
                    + e.getMessage(), e);
        }
    }

    private static byte[] decompress(byte[] body, String contentEncoding, int maxBodyBytes) throws OtlpFormatException {
        String encoding = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        switch (encoding) {
            case "", "identity" -> {
                if (body.length > maxBodyBytes) {
                    throw new OtlpFormatException(413, "the request body of " + body.length
                            + " bytes is larger than the limit of " + maxBodyBytes + " bytes");
                }
                return body;
            }
            case "gzip" -> {
                return BoundedGunzip.gunzip(body, maxBodyBytes);
            }
            default -> throw new OtlpFormatException(415, "unsupported content encoding \"" + contentEncoding
                    + "\": OTLP/HTTP accepts gzip or no encoding");
        }
    }
}
