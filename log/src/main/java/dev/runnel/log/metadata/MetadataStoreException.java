package dev.runnel.log.metadata;

/** The metadata store could not be reached or failed a statement; the operation may be retried. */
public final class MetadataStoreException extends RuntimeException {
    public MetadataStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
