package dev.runnel.ingester.record;

/**
 * A log record the ingester cannot read: an unknown version byte or a malformed body. The
 * consumer counts it and moves on to the next record; the samples of the record decoded before
 * the fault stay appended.
 */
public final class UndecodableRecordException extends Exception {

    private final Reason reason;

    public enum Reason {
        /** The version byte is not one this ingester knows. */
        UNKNOWN_VERSION,
        /** The protobuf body is malformed or breaks the record contract (distributor/RECORDS.md). */
        MALFORMED
    }

    UndecodableRecordException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
