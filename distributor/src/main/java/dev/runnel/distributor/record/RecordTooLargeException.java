package dev.runnel.distributor.record;

/** A single series that does not fit in one record of the configured maximum size. */
public final class RecordTooLargeException extends Exception {

    public RecordTooLargeException(String message) {
        super(message);
    }
}
