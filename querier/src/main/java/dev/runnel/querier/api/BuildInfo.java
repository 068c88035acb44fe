package dev.runnel.querier.api;

/**
 * What {@code status/buildinfo} answers, in Prometheus' fields. Clients such as Grafana read
 * {@code version} to decide which API features to use, so it names the Prometheus version
 * whose API this one follows; {@code goVersion} names the Java runtime instead.
 */
public record BuildInfo(String version, String revision, String branch, String buildUser, String buildDate,
    String goVersion) {
  /** The Prometheus API version this querier follows. */
  public static final String PROMETHEUS_API_VERSION = "2.42.0";

  /** Build info with the given revision and the running Java version. */
  public static BuildInfo of(String revision, String branch, String buildDate) {
    return new BuildInfo(PROMETHEUS_API_VERSION, revision, branch, "", buildDate, "java" + Runtime.version());
  }
}
