package dev.runnel.querier.api;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a request, as Go's {@code Request.Form} holds them: those of a POST form
 * body ({@code application/x-www-form-urlencoded}) first, then those of the URL; and the read
 * consistency it asks for.
 */
final class ApiRequest {
  private final String path;
  private final Map<String, List<String>> body;
  private final Map<String, List<String>> url;
  private final ConsistencyLevel consistency;

  private ApiRequest(String path, Map<String, List<String>> body, Map<String, List<String>> url, ConsistencyLevel consistency) {
    this.path = path;
    this.body = body;
    this.url = url;
    this.consistency = consistency;
  }

  /** @param defaultConsistency the tenant's level, for a request without the {@value ConsistencyLevel#HEADER} header */
  static ApiRequest of(FullHttpRequest request, ConsistencyLevel defaultConsistency) throws ApiException {
    ConsistencyLevel consistency = defaultConsistency;
    String header = request.headers().get(ConsistencyLevel.HEADER);
    if (header != null) {
      try {
        consistency = ConsistencyLevel.parse(header.trim());
      } catch (IllegalArgumentException e) {
        throw ApiException.badData("invalid header " + ConsistencyLevel.HEADER + ": " + e.getMessage());
      }
    }
    try {
      QueryStringDecoder uri = decoder(request.uri(), true);
      Map<String, List<String>> body = Map.of();
      String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
      if (request.method().equals(HttpMethod.POST)
          && contentType.toLowerCase().startsWith(HttpHeaderValues.APPLICATION_X_WWW_FORM_URLENCODED.toString())) {
        body = decoder(request.content().toString(StandardCharsets.UTF_8), false).parameters();
      }
      return new ApiRequest(uri.path(), body, uri.parameters(), consistency);
    } catch (IllegalArgumentException e) {
      throw ApiException.badData("error parsing form values: " + e.getMessage());
    }
  }

  private static QueryStringDecoder decoder(String s, boolean hasPath) {
    // Semicolons are no separators, as in Go's net/url since 1.17.
    return new QueryStringDecoder(s, StandardCharsets.UTF_8, hasPath, 1024, true);
  }

  /** The read consistency the request asks for, or its tenant's default. */
  ConsistencyLevel consistency() {
    return consistency;
  }

  /** The decoded path. */
  String path() {
    return path;
  }

  /** The first value of a parameter, or "" when it is absent (Go's {@code FormValue}). */
  String value(String name) {
    List<String> values = body.get(name);
    if (values == null || values.isEmpty()) {
      values = url.get(name);
    }
    return values == null || values.isEmpty() ? "" : values.get(0);
  }

  /** Every value of a parameter, the body's first. */
  List<String> values(String name) {
    List<String> all = new ArrayList<>(body.getOrDefault(name, List.of()));
    all.addAll(url.getOrDefault(name, List.of()));
    return all;
  }
}
