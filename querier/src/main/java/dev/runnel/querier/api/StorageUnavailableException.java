package dev.runnel.querier.api;

/**
 * The storage cannot answer completely now: part of the data is out of reach, or was not up to
 * date within the time allowed. The API answers Prometheus' {@code unavailable} (503), or
 * {@code timeout} (503) when {@link #timedOut()}; clients may retry either.
 */
public class StorageUnavailableException extends RuntimeException {
  private final boolean timedOut;

  public StorageUnavailableException(String message, boolean timedOut, Throwable cause) {
    super(message, cause);
    this.timedOut = timedOut;
  }

  /** Whether the storage gave up waiting (for an ingester, or for it to catch up), rather than found nothing to ask. */
  public boolean timedOut() {
    return timedOut;
  }
}
