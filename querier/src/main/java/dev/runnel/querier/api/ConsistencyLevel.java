package dev.runnel.querier.api;

import java.util.Locale;

/**
 * How fresh a request's answer must be, as Mimir's {@code ingest_storage_read_consistency}: a
 * request chooses with the {@value #HEADER} header, otherwise its tenant's default applies.
 */
public enum ConsistencyLevel {
  /** Answer with what the ingesters hold when asked. */
  EVENTUAL,
  /** Read after write: first wait until the ingesters have consumed everything written before the request arrived. */
  STRONG;

  /** The request header that chooses the level (Mimir's name). */
  public static final String HEADER = "X-Read-Consistency";

  /** The level named {@code eventual} or {@code strong} (any case). */
  public static ConsistencyLevel parse(String name) {
    for (ConsistencyLevel level : values()) {
      if (level.name().equalsIgnoreCase(name)) {
        return level;
      }
    }
    throw new IllegalArgumentException("read consistency must be eventual or strong, not \"" + name + "\"");
  }

  /** The level's name as the header and the flag spell it. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
