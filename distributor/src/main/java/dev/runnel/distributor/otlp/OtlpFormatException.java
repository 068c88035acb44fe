package dev.runnel.distributor.otlp;

/**
 * An OTLP request body that cannot be read: an unsupported content type (415) or encoding (415),
 * a body that is not valid protobuf or OTLP/JSON (400), or one that decompresses to more than the
 * limit (413). {@link #httpStatus()} is the status to answer with.
 */
public final class OtlpFormatException extends Exception {

    private final int httpStatus;

    OtlpFormatException(int httpStatus, String message) {
        super(message);
        this.httpStatus = httpStatus;
    }

    OtlpFormatException(int httpStatus, String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
