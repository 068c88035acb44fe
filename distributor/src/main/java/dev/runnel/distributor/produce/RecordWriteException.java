package dev.runnel.distributor.produce;

/**
 * The log did not take a record. {@code retriable} errors (the log unreachable, a timeout, a
 * leader moving) are worth the sender's retry; others are not.
 */
public final class RecordWriteException extends RuntimeException {

    private final String error;
    private final boolean retriable;

    /** @param error a short name for the error, used as a metric label */
    public RecordWriteException(String error, boolean retriable, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
        this.retriable = retriable;
    }

    public String error() {
        return error;
    }

    public boolean retriable() {
        return retriable;
    }
}
