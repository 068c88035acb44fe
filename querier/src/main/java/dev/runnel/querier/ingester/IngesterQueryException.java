package dev.runnel.querier.ingester;

import io.grpc.Status;

/** A call to an ingester's query service failed; the message names the ingester, the call and the cause. */
public final class IngesterQueryException extends RuntimeException {

    private final Status.Code code;

    public IngesterQueryException(String address, String method, Status status, Throwable cause) {
        super("ingester " + address + ": " + method + " failed: " + status.getCode()
                + (status.getDescription() == null ? "" : ": " + status.getDescription()), cause);
        this.code = status.getCode();
    }

    /** The gRPC status code: UNAVAILABLE and DEADLINE_EXCEEDED are worth another replica, INVALID_ARGUMENT is not. */
    public Status.Code code() {
        return code;
    }
}
