package dev.runnel.log.segment;

/** A segment object or a byte range of one is not what the format says it must be. */
public final class CorruptSegmentException extends RuntimeException {
    public CorruptSegmentException(String message) {
        super(message);
    }
}
