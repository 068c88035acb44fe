package dev.runnel.querier.api;

import dev.runnel.querier.promql.engine.QueryException;
import dev.runnel.server.HttpHandler;
import dev.runnel.server.HttpResponses;
import dev.runnel.server.Tenants;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One API route: checks the method and the tenant, runs its endpoint on the query executor (off
 * the event loop), turns failures into Prometheus' error answers, counts and times the answers,
 * and logs each query that failed for another reason than bad input.
 */
final class ApiRoute implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(ApiRoute.class);

  /** The work of a route: parses its parameters, reads, and returns the answer's data. */
  @FunctionalInterface
  interface Endpoint {
    ApiJson.Data answer(ApiRequest request, String tenant) throws ApiException;
  }

  private final String name;
  private final Set<HttpMethod> methods;
  private final Tenants tenants;
  private final Function<String, ConsistencyLevel> consistency;
  private final Executor executor;
  private final Endpoint endpoint;

  /** @param consistency each tenant's default read consistency */
  ApiRoute(String name, Set<HttpMethod> methods, Tenants tenants, Function<String, ConsistencyLevel> consistency,
      Executor executor, Endpoint endpoint) {
    this.name = name;
    this.methods = methods;
    this.tenants = tenants;
    this.consistency = consistency;
    this.executor = executor;
    this.endpoint = endpoint;
  }

  @Override
  public CompletableFuture<FullHttpResponse> handle(FullHttpRequest request) {
    long start = System.nanoTime();
    CompletableFuture<FullHttpResponse> answer;
    if (!methods.contains(request.method())) {
      answer = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method " + request.method() + " is not allowed: use " + methods);
    } else {
      try {
        String tenant = tenants.resolve(request.headers().get(Tenants.HEADER));
        ApiRequest params = ApiRequest.of(request, consistency.apply(tenant));
        answer = CompletableFuture.supplyAsync(() -> run(params, tenant), executor);
      } catch (Tenants.InvalidTenant e) {
        answer = text(HttpResponseStatus.valueOf(e.status()), e.getMessage());
      } catch (ApiException e) {
        answer = CompletableFuture.completedFuture(ApiJson.error(e.type, e.getMessage()));
      } catch (RejectedExecutionException e) {
        answer = text(HttpResponseStatus.SERVICE_UNAVAILABLE, "the querier is shutting down");
      }
    }
    return answer.whenComplete((response, error) ->
        ApiMetrics.INSTANCE.answered(name, response == null ? 500 : response.status().code(), System.nanoTime() - start));
  }

  private FullHttpResponse run(ApiRequest request, String tenant) {
    try {
      return ApiJson.success(endpoint.answer(request, tenant));
    } catch (ApiException e) {
      if (e.type != ErrorType.BAD_DATA) {
        logFailure(request, tenant, e.type, e.getMessage(), null);
      }
      return ApiJson.error(e.type, e.getMessage());
    } catch (QueryException e) {
      ErrorType type = switch (e.reason()) {
        case EXECUTION, TOO_MANY_SAMPLES -> ErrorType.EXECUTION;
        case TIMEOUT -> ErrorType.TIMEOUT;
        case CANCELED -> ErrorType.CANCELED;
      };
      logFailure(request, tenant, type, e.getMessage(), null);
      return ApiJson.error(type, e.getMessage());
    } catch (StorageUnavailableException e) {
      ErrorType type = e.timedOut() ? ErrorType.TIMEOUT : ErrorType.UNAVAILABLE;
      logFailure(request, tenant, type, e.getMessage(), null);
      return ApiJson.error(type, e.getMessage());
    } catch (RuntimeException e) {
      logFailure(request, tenant, ErrorType.INTERNAL, e.toString(), e);
      return ApiJson.error(ErrorType.INTERNAL, e.toString());
    }
  }

  private void logFailure(ApiRequest request, String tenant, ErrorType type, String message, Throwable cause) {
    String query = request.value("query");
    Object what = query.isEmpty() ? request.values("match[]") : query;
    if (cause == null) {
      log.warn("{} request of tenant {} failed ({}): {}; query: {}", name, tenant, type.json, message, what);
    } else {
      log.warn("{} request of tenant {} failed ({}); query: {}", name, tenant, type.json, what, cause);
    }
  }

  private static CompletableFuture<FullHttpResponse> text(HttpResponseStatus status, String message) {
    return CompletableFuture.completedFuture(HttpResponses.text(status, message + "\n"));
  }
}
