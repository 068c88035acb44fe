package dev.runnel.distributor.otlp;

import java.util.Locale;

/** The two bodies OTLP/HTTP allows; a response is written in the request's. */
public enum OtlpContentType {
    PROTOBUF("application/x-protobuf"),
    JSON("application/json");

    private final String mediaType;

    OtlpContentType(String mediaType) {
        this.mediaType = mediaType;
    }

    /** The value of a Content-Type header for this body. */
    public String mediaType() {
        return mediaType;
    }

    /**
     * The type a Content-Type header names, ignoring parameters such as {@code charset}.
     *
     * @throws OtlpFormatException (415) for any other media type, or none
     */
    public static OtlpContentType of(String header) throws OtlpFormatException {
        String mediaType = header == null ? "" : header.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        for (OtlpContentType type : values()) {
            if (type.mediaType.equals(mediaType)) {
                return type;
            }
        }
        throw new OtlpFormatException(415, "unsupported content type \"" + (header == null ? "" : header)
                + "\": OTLP/HTTP accepts application/x-protobuf or application/json");
    }

    /** The type to answer in when the request's could not be read: the request's if known, else protobuf. */
    public static OtlpContentType forResponse(String requestHeader) {
        try {
            return of(requestHeader);
        } catch (OtlpFormatException e) {
            return PROTOBUF;
        }
    }
}
